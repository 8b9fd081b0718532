import { Migration } from '@mikro-orm/migrations';

export class Migration20261123173511 extends Migration {

  override name = 'Migration20261123173511';

  override up(): void | Promise<void> {
    this.addSql(`create table \`notification_deliveries\` (\`id\` integer not null primary key autoincrement, \`channel_id\` integer not null, \`repository_id\` integer not null, \`event_id\` integer not null, \`message\` json not null, \`state\` text check (\`state\` in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`last_error\` text null, \`sent_at\` datetime null, \`claimed_by\` text null, \`claimed_until\` datetime null, \`created_at\` datetime not null, constraint \`notification_deliveries_channel_id_foreign\` foreign key (\`channel_id\`) references \`notification_channels\` (\`id\`) on delete cascade, constraint \`notification_deliveries_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade, constraint \`notification_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`repository_events\` (\`id\`) on delete cascade);`);
    this.addSql(`create index \`notification_deliveries_channel_id_index\` on \`notification_deliveries\` (\`channel_id\`);`);
    this.addSql(`create index \`notification_deliveries_repository_id_index\` on \`notification_deliveries\` (\`repository_id\`);`);
    this.addSql(`create index \`notification_deliveries_event_id_index\` on \`notification_deliveries\` (\`event_id\`);`);
    this.addSql(`create index \`notification_deliveries_channel_id_created_at_index\` on \`notification_deliveries\` (\`channel_id\`, \`created_at\`);`);
    this.addSql(`create index \`notification_deliveries_state_next_attempt_at_index\` on \`notification_deliveries\` (\`state\`, \`next_attempt_at\`);`);
    this.addSql(`create unique index \`notification_deliveries_event_id_channel_id_unique\` on \`notification_deliveries\` (\`event_id\`, \`channel_id\`);`);

    this.addSql(`alter table \`repositories\` add column \`last_alert_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`last_recovered_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`stale_observed\` integer not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`notification_deliveries\`;`);

    this.addSql(`alter table \`repositories\` drop column \`last_alert_at\`;`);
    this.addSql(`alter table \`repositories\` drop column \`last_recovered_at\`;`);
    this.addSql(`alter table \`repositories\` drop column \`stale_observed\`;`);
  }

}
