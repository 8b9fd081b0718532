import { Migration } from '@mikro-orm/migrations';

export class Migration20261123173511 extends Migration {

  override name = 'Migration20261123173511';

  override up(): void | Promise<void> {
    this.addSql(`create table \`notification_deliveries\` (\`id\` int unsigned not null auto_increment primary key, \`channel_id\` int unsigned not null, \`repository_id\` int unsigned not null, \`event_id\` int unsigned not null, \`message\` json not null, \`state\` enum('PENDING','SENT','FAILED') not null default 'PENDING', \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`last_error\` varchar(1000) null, \`sent_at\` datetime(3) null, \`claimed_by\` varchar(64) null, \`claimed_until\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notification_deliveries\` add index \`notification_deliveries_channel_id_index\` (\`channel_id\`);`);
    this.addSql(`alter table \`notification_deliveries\` add index \`notification_deliveries_repository_id_index\` (\`repository_id\`);`);
    this.addSql(`alter table \`notification_deliveries\` add index \`notification_deliveries_event_id_index\` (\`event_id\`);`);
    this.addSql(`alter table \`notification_deliveries\` add index \`notification_deliveries_channel_id_created_at_index\` (\`channel_id\`, \`created_at\`);`);
    this.addSql(`alter table \`notification_deliveries\` add index \`notification_deliveries_state_next_attempt_at_index\` (\`state\`, \`next_attempt_at\`);`);
    this.addSql(`alter table \`notification_deliveries\` add unique \`notification_deliveries_event_id_channel_id_unique\` (\`event_id\`, \`channel_id\`);`);

    this.addSql(`alter table \`repositories\` add \`last_alert_at\` datetime(3) null, add \`last_recovered_at\` datetime(3) null, add \`stale_observed\` tinyint(1) not null default false;`);

    this.addSql(`alter table \`notification_deliveries\` add constraint \`notification_deliveries_channel_id_foreign\` foreign key (\`channel_id\`) references \`notification_channels\` (\`id\`) on delete cascade;`);
    this.addSql(`alter table \`notification_deliveries\` add constraint \`notification_deliveries_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`);
    this.addSql(`alter table \`notification_deliveries\` add constraint \`notification_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`repository_events\` (\`id\`) on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`notification_deliveries\`;`);

    this.addSql(`alter table \`repositories\` drop column \`last_alert_at\`, drop column \`last_recovered_at\`, drop column \`stale_observed\`;`);
  }

}
