import { Migration } from '@mikro-orm/migrations';

export class Migration20261123175955 extends Migration {
  override name = 'Migration20261123175955';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`groups\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`created_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`groups_name_unique\` on \`groups\` (\`name\`);`);

    this.addSql(
      `create table \`repository_locations\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`ssh_host\` text not null, \`ssh_port\` integer not null default 22, \`is_default\` integer not null default false, \`created_at\` datetime not null);`,
    );
    this.addSql(
      `create unique index \`repository_locations_name_unique\` on \`repository_locations\` (\`name\`);`,
    );

    this.addSql(
      `create table \`users\` (\`id\` integer not null primary key autoincrement, \`username\` text not null, \`email\` text not null, \`password_hash\` text not null, \`is_admin\` integer not null default false, \`alert_interval_hours\` integer not null default 12, \`alert_expiration_days\` integer not null default 5, \`created_at\` datetime not null);`,
    );
    this.addSql(`create unique index \`users_username_unique\` on \`users\` (\`username\`);`);

    this.addSql(
      `create table \`ssh_keys\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`type\` text not null, \`key_data\` text not null, \`bits\` integer not null, \`fingerprint\` text not null, \`comment\` text null, \`owner_id\` integer not null, \`last_used_at\` datetime null, \`created_at\` datetime not null, constraint \`ssh_keys_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`ssh_keys_fingerprint_index\` on \`ssh_keys\` (\`fingerprint\`);`);
    this.addSql(`create index \`ssh_keys_owner_id_index\` on \`ssh_keys\` (\`owner_id\`);`);
    this.addSql(
      `create unique index \`ssh_keys_owner_id_fingerprint_unique\` on \`ssh_keys\` (\`owner_id\`, \`fingerprint\`);`,
    );

    this.addSql(
      `create table \`ssh_key_groups\` (\`ssh_key_id\` integer not null, \`group_id\` integer not null, primary key (\`ssh_key_id\`, \`group_id\`), constraint \`ssh_key_groups_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade, constraint \`ssh_key_groups_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(`create index \`ssh_key_groups_ssh_key_id_index\` on \`ssh_key_groups\` (\`ssh_key_id\`);`);
    this.addSql(`create index \`ssh_key_groups_group_id_index\` on \`ssh_key_groups\` (\`group_id\`);`);

    this.addSql(
      `create table \`sessions\` (\`id\` integer not null primary key autoincrement, \`token_hash\` text not null, \`user_id\` integer not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`created_at\` datetime not null, constraint \`sessions_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create unique index \`sessions_token_hash_unique\` on \`sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`sessions_user_id_index\` on \`sessions\` (\`user_id\`);`);

    this.addSql(
      `create table \`repositories\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`repo_user\` text not null, \`uid\` integer not null, \`gid\` integer not null, \`location_id\` integer not null, \`mode\` text check (\`mode\` in ('BORG', 'IMPORT', 'EXPORT')) not null default 'BORG', \`quota_bytes\` bigint null, \`alert_after_days\` integer null, \`owner_id\` integer not null, \`is_open\` integer not null default false, \`last_access_at\` datetime null, \`last_updated_at\` datetime null, \`last_ping_success_at\` datetime null, \`usage_bytes\` bigint null, \`last_alert_at\` datetime null, \`last_recovered_at\` datetime null, \`stale_observed\` integer not null default false, \`ping_uuid\` text not null, \`created_at\` datetime not null, constraint \`repositories_location_id_foreign\` foreign key (\`location_id\`) references \`repository_locations\` (\`id\`), constraint \`repositories_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`));`,
    );
    this.addSql(`create unique index \`repositories_repo_user_unique\` on \`repositories\` (\`repo_user\`);`);
    this.addSql(`create unique index \`repositories_uid_unique\` on \`repositories\` (\`uid\`);`);
    this.addSql(`create index \`repositories_location_id_index\` on \`repositories\` (\`location_id\`);`);
    this.addSql(`create index \`repositories_owner_id_index\` on \`repositories\` (\`owner_id\`);`);
    this.addSql(`create index \`repositories_ping_uuid_index\` on \`repositories\` (\`ping_uuid\`);`);
    this.addSql(`create unique index \`repositories_ping_uuid_unique\` on \`repositories\` (\`ping_uuid\`);`);
    this.addSql(
      `create unique index \`repositories_owner_id_name_unique\` on \`repositories\` (\`owner_id\`, \`name\`);`,
    );

    this.addSql(
      `create table \`repository_statistics\` (\`id\` integer not null primary key autoincrement, \`repository_id\` integer not null, \`usage_bytes\` bigint not null, \`created_at\` datetime not null, constraint \`repository_statistics_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create index \`repository_statistics_repository_id_index\` on \`repository_statistics\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`repository_statistics_repository_id_created_at_index\` on \`repository_statistics\` (\`repository_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`repository_events\` (\`id\` integer not null primary key autoincrement, \`repository_id\` integer not null, \`type\` text check (\`type\` in ('CREATED', 'OPENED', 'CLOSED', 'UPDATED', 'DELETED', 'ACCESSED', 'ALERT', 'RECOVERED', 'BACKUP_STARTED', 'BACKUP_SUCCEEDED', 'BACKUP_FAILED', 'BACKUP_LOG')) not null, \`message\` text not null, \`log\` text null, \`created_at\` datetime not null, constraint \`repository_events_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create index \`repository_events_repository_id_index\` on \`repository_events\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`repository_events_repository_id_created_at_index\` on \`repository_events\` (\`repository_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`repository_ssh_keys\` (\`repository_id\` integer not null, \`ssh_key_id\` integer not null, primary key (\`repository_id\`, \`ssh_key_id\`), constraint \`repository_ssh_keys_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade, constraint \`repository_ssh_keys_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(
      `create index \`repository_ssh_keys_repository_id_index\` on \`repository_ssh_keys\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`repository_ssh_keys_ssh_key_id_index\` on \`repository_ssh_keys\` (\`ssh_key_id\`);`,
    );

    this.addSql(
      `create table \`repository_groups\` (\`repository_id\` integer not null, \`group_id\` integer not null, primary key (\`repository_id\`, \`group_id\`), constraint \`repository_groups_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade, constraint \`repository_groups_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(
      `create index \`repository_groups_repository_id_index\` on \`repository_groups\` (\`repository_id\`);`,
    );
    this.addSql(`create index \`repository_groups_group_id_index\` on \`repository_groups\` (\`group_id\`);`);

    this.addSql(
      `create table \`repository_append_only_keys\` (\`repository_id\` integer not null, \`ssh_key_id\` integer not null, primary key (\`repository_id\`, \`ssh_key_id\`), constraint \`repository_append_only_keys_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade, constraint \`repository_append_only_keys_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(
      `create index \`repository_append_only_keys_repository_id_index\` on \`repository_append_only_keys\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`repository_append_only_keys_ssh_key_id_index\` on \`repository_append_only_keys\` (\`ssh_key_id\`);`,
    );

    this.addSql(
      `create table \`notification_channels\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`kind\` text check (\`kind\` in ('EMAIL', 'PUSHOVER', 'WEBHOOK', 'NTFY')) not null, \`enabled\` integer not null default true, \`settings\` json not null, \`owner_id\` integer not null, \`created_at\` datetime not null, constraint \`notification_channels_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create index \`notification_channels_owner_id_index\` on \`notification_channels\` (\`owner_id\`);`,
    );

    this.addSql(
      `create table \`notification_deliveries\` (\`id\` integer not null primary key autoincrement, \`channel_id\` integer not null, \`repository_id\` integer not null, \`event_id\` integer not null, \`message\` json not null, \`state\` text check (\`state\` in ('PENDING', 'SENT', 'FAILED')) not null default 'PENDING', \`attempts\` integer not null default 0, \`next_attempt_at\` datetime not null, \`last_error\` text null, \`sent_at\` datetime null, \`claimed_by\` text null, \`claimed_until\` datetime null, \`created_at\` datetime not null, constraint \`notification_deliveries_channel_id_foreign\` foreign key (\`channel_id\`) references \`notification_channels\` (\`id\`) on delete cascade, constraint \`notification_deliveries_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade, constraint \`notification_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`repository_events\` (\`id\`) on delete cascade);`,
    );
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

    this.addSql(
      `create table \`notification_channel_repositories\` (\`notification_channel_id\` integer not null, \`repository_id\` integer not null, primary key (\`notification_channel_id\`, \`repository_id\`), constraint \`notification_channel_repositories_notification_channel_id_foreign\` foreign key (\`notification_channel_id\`) references \`notification_channels\` (\`id\`) on update cascade on delete cascade, constraint \`notification_channel_repositories_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(
      `create index \`notification_channel_repositories_notification_channel_id_index\` on \`notification_channel_repositories\` (\`notification_channel_id\`);`,
    );
    this.addSql(
      `create index \`notification_channel_repositories_repository_id_index\` on \`notification_channel_repositories\` (\`repository_id\`);`,
    );

    this.addSql(
      `create table \`notification_channel_groups\` (\`notification_channel_id\` integer not null, \`group_id\` integer not null, primary key (\`notification_channel_id\`, \`group_id\`), constraint \`notification_channel_groups_notification_channel_id_foreign\` foreign key (\`notification_channel_id\`) references \`notification_channels\` (\`id\`) on update cascade on delete cascade, constraint \`notification_channel_groups_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(
      `create index \`notification_channel_groups_notification_channel_id_index\` on \`notification_channel_groups\` (\`notification_channel_id\`);`,
    );
    this.addSql(
      `create index \`notification_channel_groups_group_id_index\` on \`notification_channel_groups\` (\`group_id\`);`,
    );

    this.addSql(
      `create table \`group_members\` (\`group_id\` integer not null, \`user_id\` integer not null, primary key (\`group_id\`, \`user_id\`), constraint \`group_members_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade, constraint \`group_members_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(`create index \`group_members_group_id_index\` on \`group_members\` (\`group_id\`);`);
    this.addSql(`create index \`group_members_user_id_index\` on \`group_members\` (\`user_id\`);`);

    this.addSql(
      `create table \`api_tokens\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`scope\` text check (\`scope\` in ('READ_ONLY', 'FULL', 'KEYS_READ', 'AGENT')) not null, \`secret_hash\` text not null, \`user_id\` integer not null, \`expires_at\` datetime null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime not null, constraint \`api_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create unique index \`api_tokens_secret_hash_unique\` on \`api_tokens\` (\`secret_hash\`);`);
    this.addSql(`create index \`api_tokens_user_id_index\` on \`api_tokens\` (\`user_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`groups\`;`);
    this.addSql(`drop table if exists \`repository_locations\`;`);
    this.addSql(`drop table if exists \`users\`;`);
    this.addSql(`drop table if exists \`ssh_keys\`;`);
    this.addSql(`drop table if exists \`ssh_key_groups\`;`);
    this.addSql(`drop table if exists \`sessions\`;`);
    this.addSql(`drop table if exists \`repositories\`;`);
    this.addSql(`drop table if exists \`repository_statistics\`;`);
    this.addSql(`drop table if exists \`repository_events\`;`);
    this.addSql(`drop table if exists \`repository_ssh_keys\`;`);
    this.addSql(`drop table if exists \`repository_groups\`;`);
    this.addSql(`drop table if exists \`repository_append_only_keys\`;`);
    this.addSql(`drop table if exists \`notification_channels\`;`);
    this.addSql(`drop table if exists \`notification_deliveries\`;`);
    this.addSql(`drop table if exists \`notification_channel_repositories\`;`);
    this.addSql(`drop table if exists \`notification_channel_groups\`;`);
    this.addSql(`drop table if exists \`group_members\`;`);
    this.addSql(`drop table if exists \`api_tokens\`;`);
  }
}
