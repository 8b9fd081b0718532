import { Migration } from '@mikro-orm/migrations';

/** notification_deliveries.repository_id and event_id become nullable: a test message is about no repository. */
export class Migration20261206025016 extends Migration {
  override name = 'Migration20261206025016';

  override up(): void | Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`notification_deliveries__temp_alter\` (\`id\` integer not null primary key autoincrement, \`channel_id\` integer not null, \`repository_id\` integer null, \`event_id\` integer null, \`message\` json not null, \`state\` text check (\`state\` in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`last_error\` text null, \`sent_at\` datetime null, \`claimed_by\` text null, \`claimed_until\` datetime null, \`created_at\` datetime not null, constraint \`notification_deliveries_channel_id_foreign\` foreign key (\`channel_id\`) references \`notification_channels\` (\`id\`) on delete cascade, constraint \`notification_deliveries_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade, constraint \`notification_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`repository_events\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `insert into \`notification_deliveries__temp_alter\` select \`id\`, \`channel_id\`, \`repository_id\`, \`event_id\`, \`message\`, \`state\`, \`attempts\`, \`next_attempt_at\`, \`last_error\`, \`sent_at\`, \`claimed_by\`, \`claimed_until\`, \`created_at\` from \`notification_deliveries\`;`,
    );
    this.addSql(`drop table \`notification_deliveries\`;`);
    this.addSql(`alter table \`notification_deliveries__temp_alter\` rename to \`notification_deliveries\`;`);
    this.addSql(
      `create index \`notification_deliveries_channel_id_index\` on \`notification_deliveries\` (\`channel_id\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_repository_id_index\` on \`notification_deliveries\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_event_id_index\` on \`notification_deliveries\` (\`event_id\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_channel_id_created_at_index\` on \`notification_deliveries\` (\`channel_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_state_next_attempt_at_index\` on \`notification_deliveries\` (\`state\`, \`next_attempt_at\`);`,
    );
    this.addSql(
      `create unique index \`notification_deliveries_event_id_channel_id_unique\` on \`notification_deliveries\` (\`event_id\`, \`channel_id\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `delete from \`notification_deliveries\` where \`event_id\` is null or \`repository_id\` is null;`,
    );
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`notification_deliveries__temp_alter\` (\`id\` integer not null primary key autoincrement, \`channel_id\` INTEGER not null, \`repository_id\` INTEGER not null, \`event_id\` INTEGER not null, \`message\` json not null, \`state\` TEXT check (\`state\` in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', \`attempts\` INTEGER not null default 0, \`next_attempt_at\` datetime not null, \`last_error\` TEXT null, \`sent_at\` datetime null, \`claimed_by\` TEXT null, \`claimed_until\` datetime null, \`created_at\` datetime not null, constraint \`notification_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`repository_events\` (\`id\`) on update no action on delete cascade, constraint \`notification_deliveries_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update no action on delete cascade, constraint \`notification_deliveries_channel_id_foreign\` foreign key (\`channel_id\`) references \`notification_channels\` (\`id\`) on update no action on delete cascade);`,
    );
    this.addSql(
      `insert into \`notification_deliveries__temp_alter\` select \`id\`, \`channel_id\`, \`repository_id\`, \`event_id\`, \`message\`, \`state\`, \`attempts\`, \`next_attempt_at\`, \`last_error\`, \`sent_at\`, \`claimed_by\`, \`claimed_until\`, \`created_at\` from \`notification_deliveries\`;`,
    );
    this.addSql(`drop table \`notification_deliveries\`;`);
    this.addSql(`alter table \`notification_deliveries__temp_alter\` rename to \`notification_deliveries\`;`);
    this.addSql(
      `create unique index \`notification_deliveries_event_id_channel_id_unique\` on \`notification_deliveries\` (\`event_id\`, \`channel_id\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_state_next_attempt_at_index\` on \`notification_deliveries\` (\`state\`, \`next_attempt_at\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_channel_id_created_at_index\` on \`notification_deliveries\` (\`channel_id\`, \`created_at\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_event_id_index\` on \`notification_deliveries\` (\`event_id\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_repository_id_index\` on \`notification_deliveries\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`notification_deliveries_channel_id_index\` on \`notification_deliveries\` (\`channel_id\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }
}
