import { Migration } from '@mikro-orm/migrations';

export class Migration20261123175955 extends Migration {
  override name = 'Migration20261123175955';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`groups\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(64) not null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`groups\` add unique \`groups_name_unique\` (\`name\`);`);

    this.addSql(
      `create table \`repository_locations\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`ssh_host\` varchar(255) not null, \`ssh_port\` int not null default 22, \`is_default\` tinyint(1) not null default false, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`repository_locations\` add unique \`repository_locations_name_unique\` (\`name\`);`,
    );

    this.addSql(
      `create table \`users\` (\`id\` int unsigned not null auto_increment primary key, \`username\` varchar(64) not null, \`email\` varchar(254) not null, \`password_hash\` varchar(255) not null, \`is_admin\` tinyint(1) not null default false, \`alert_interval_hours\` int not null default 12, \`alert_expiration_days\` int not null default 5, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`users\` add unique \`users_username_unique\` (\`username\`);`);

    this.addSql(
      `create table \`ssh_keys\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`type\` varchar(64) not null, \`key_data\` text not null, \`bits\` int not null, \`fingerprint\` varchar(64) not null, \`comment\` text null, \`owner_id\` int unsigned not null, \`last_used_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`ssh_keys\` add index \`ssh_keys_fingerprint_index\` (\`fingerprint\`);`);
    this.addSql(`alter table \`ssh_keys\` add index \`ssh_keys_owner_id_index\` (\`owner_id\`);`);
    this.addSql(
      `alter table \`ssh_keys\` add unique \`ssh_keys_owner_id_fingerprint_unique\` (\`owner_id\`, \`fingerprint\`);`,
    );

    this.addSql(
      `create table \`ssh_key_groups\` (\`ssh_key_id\` int unsigned not null, \`group_id\` int unsigned not null, primary key (\`ssh_key_id\`, \`group_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`ssh_key_groups\` add index \`ssh_key_groups_ssh_key_id_index\` (\`ssh_key_id\`);`,
    );
    this.addSql(`alter table \`ssh_key_groups\` add index \`ssh_key_groups_group_id_index\` (\`group_id\`);`);

    this.addSql(
      `create table \`sessions\` (\`id\` int unsigned not null auto_increment primary key, \`token_hash\` varchar(64) not null, \`user_id\` int unsigned not null, \`expires_at\` datetime not null, \`revoked_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`sessions\` add unique \`sessions_token_hash_unique\` (\`token_hash\`);`);
    this.addSql(`alter table \`sessions\` add index \`sessions_user_id_index\` (\`user_id\`);`);

    this.addSql(
      `create table \`repositories\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(64) not null, \`repo_user\` varchar(8) not null, \`uid\` int not null, \`gid\` int not null, \`location_id\` int unsigned not null, \`mode\` enum('BORG','IMPORT','EXPORT') not null default 'BORG', \`quota_bytes\` bigint null, \`alert_after_days\` int null, \`owner_id\` int unsigned not null, \`is_open\` tinyint(1) not null default false, \`last_access_at\` datetime(3) null, \`last_updated_at\` datetime(3) null, \`last_ping_success_at\` datetime null, \`usage_bytes\` bigint null, \`last_alert_at\` datetime(3) null, \`last_recovered_at\` datetime(3) null, \`stale_observed\` tinyint(1) not null default false, \`ping_uuid\` varchar(36) not null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`repositories\` add unique \`repositories_repo_user_unique\` (\`repo_user\`);`);
    this.addSql(`alter table \`repositories\` add unique \`repositories_uid_unique\` (\`uid\`);`);
    this.addSql(
      `alter table \`repositories\` add index \`repositories_location_id_index\` (\`location_id\`);`,
    );
    this.addSql(`alter table \`repositories\` add index \`repositories_owner_id_index\` (\`owner_id\`);`);
    this.addSql(`alter table \`repositories\` add index \`repositories_ping_uuid_index\` (\`ping_uuid\`);`);
    this.addSql(`alter table \`repositories\` add unique \`repositories_ping_uuid_unique\` (\`ping_uuid\`);`);
    this.addSql(
      `alter table \`repositories\` add unique \`repositories_owner_id_name_unique\` (\`owner_id\`, \`name\`);`,
    );

    this.addSql(
      `create table \`repository_statistics\` (\`id\` int unsigned not null auto_increment primary key, \`repository_id\` int unsigned not null, \`usage_bytes\` bigint not null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`repository_statistics\` add index \`repository_statistics_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`repository_statistics\` add index \`repository_statistics_repository_id_created_at_index\` (\`repository_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`repository_events\` (\`id\` int unsigned not null auto_increment primary key, \`repository_id\` int unsigned not null, \`type\` enum('CREATED','OPENED','CLOSED','UPDATED','DELETED','ACCESSED','ALERT','RECOVERED','BACKUP_STARTED','BACKUP_SUCCEEDED','BACKUP_FAILED','BACKUP_LOG') not null, \`message\` varchar(500) not null, \`log\` text null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`repository_events\` add index \`repository_events_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`repository_events\` add index \`repository_events_repository_id_created_at_index\` (\`repository_id\`, \`created_at\`);`,
    );

    this.addSql(
      `create table \`repository_ssh_keys\` (\`repository_id\` int unsigned not null, \`ssh_key_id\` int unsigned not null, primary key (\`repository_id\`, \`ssh_key_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`repository_ssh_keys\` add index \`repository_ssh_keys_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`repository_ssh_keys\` add index \`repository_ssh_keys_ssh_key_id_index\` (\`ssh_key_id\`);`,
    );

    this.addSql(
      `create table \`repository_groups\` (\`repository_id\` int unsigned not null, \`group_id\` int unsigned not null, primary key (\`repository_id\`, \`group_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`repository_groups\` add index \`repository_groups_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`repository_groups\` add index \`repository_groups_group_id_index\` (\`group_id\`);`,
    );

    this.addSql(
      `create table \`repository_append_only_keys\` (\`repository_id\` int unsigned not null, \`ssh_key_id\` int unsigned not null, primary key (\`repository_id\`, \`ssh_key_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`repository_append_only_keys\` add index \`repository_append_only_keys_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`repository_append_only_keys\` add index \`repository_append_only_keys_ssh_key_id_index\` (\`ssh_key_id\`);`,
    );

    this.addSql(
      `create table \`notification_channels\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`kind\` enum('EMAIL','PUSHOVER','WEBHOOK','NTFY') not null, \`enabled\` tinyint(1) not null default true, \`settings\` json not null, \`owner_id\` int unsigned not null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`notification_channels\` add index \`notification_channels_owner_id_index\` (\`owner_id\`);`,
    );

    this.addSql(
      `create table \`notification_deliveries\` (\`id\` int unsigned not null auto_increment primary key, \`channel_id\` int unsigned not null, \`repository_id\` int unsigned not null, \`event_id\` int unsigned not null, \`message\` json not null, \`state\` enum('PENDING','SENT','FAILED') not null default 'PENDING', \`attempts\` int not null default 0, \`next_attempt_at\` datetime(3) not null, \`last_error\` varchar(1000) null, \`sent_at\` datetime(3) null, \`claimed_by\` varchar(64) null, \`claimed_until\` datetime(3) null, \`created_at\` datetime(3) not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add index \`notification_deliveries_channel_id_index\` (\`channel_id\`);`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add index \`notification_deliveries_repository_id_index\` (\`repository_id\`);`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add index \`notification_deliveries_event_id_index\` (\`event_id\`);`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add index \`notification_deliveries_channel_id_created_at_index\` (\`channel_id\`, \`created_at\`);`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add index \`notification_deliveries_state_next_attempt_at_index\` (\`state\`, \`next_attempt_at\`);`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add unique \`notification_deliveries_event_id_channel_id_unique\` (\`event_id\`, \`channel_id\`);`,
    );

    this.addSql(
      `create table \`notification_channel_repositories\` (\`notification_channel_id\` int unsigned not null, \`repository_id\` int unsigned not null, primary key (\`notification_channel_id\`, \`repository_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`notification_channel_repositories\` add index \`notification_channel_repositories_notification_channel_id_index\` (\`notification_channel_id\`);`,
    );
    this.addSql(
      `alter table \`notification_channel_repositories\` add index \`notification_channel_repositories_repository_id_index\` (\`repository_id\`);`,
    );

    this.addSql(
      `create table \`notification_channel_groups\` (\`notification_channel_id\` int unsigned not null, \`group_id\` int unsigned not null, primary key (\`notification_channel_id\`, \`group_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`notification_channel_groups\` add index \`notification_channel_groups_notification_channel_id_index\` (\`notification_channel_id\`);`,
    );
    this.addSql(
      `alter table \`notification_channel_groups\` add index \`notification_channel_groups_group_id_index\` (\`group_id\`);`,
    );

    this.addSql(
      `create table \`group_members\` (\`group_id\` int unsigned not null, \`user_id\` int unsigned not null, primary key (\`group_id\`, \`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`group_members\` add index \`group_members_group_id_index\` (\`group_id\`);`);
    this.addSql(`alter table \`group_members\` add index \`group_members_user_id_index\` (\`user_id\`);`);

    this.addSql(
      `create table \`api_tokens\` (\`id\` int unsigned not null auto_increment primary key, \`name\` varchar(100) not null, \`scope\` enum('READ_ONLY','FULL','KEYS_READ','AGENT') not null, \`secret_hash\` varchar(64) not null, \`user_id\` int unsigned not null, \`expires_at\` datetime null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`api_tokens\` add unique \`api_tokens_secret_hash_unique\` (\`secret_hash\`);`);
    this.addSql(`alter table \`api_tokens\` add index \`api_tokens_user_id_index\` (\`user_id\`);`);

    this.addSql(
      `alter table \`ssh_keys\` add constraint \`ssh_keys_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`ssh_key_groups\` add constraint \`ssh_key_groups_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`ssh_key_groups\` add constraint \`ssh_key_groups_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`sessions\` add constraint \`sessions_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`repositories\` add constraint \`repositories_location_id_foreign\` foreign key (\`location_id\`) references \`repository_locations\` (\`id\`);`,
    );
    this.addSql(
      `alter table \`repositories\` add constraint \`repositories_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`);`,
    );

    this.addSql(
      `alter table \`repository_statistics\` add constraint \`repository_statistics_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`repository_events\` add constraint \`repository_events_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`repository_ssh_keys\` add constraint \`repository_ssh_keys_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`repository_ssh_keys\` add constraint \`repository_ssh_keys_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`repository_groups\` add constraint \`repository_groups_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`repository_groups\` add constraint \`repository_groups_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`repository_append_only_keys\` add constraint \`repository_append_only_keys_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`repository_append_only_keys\` add constraint \`repository_append_only_keys_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`notification_channels\` add constraint \`notification_channels_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`notification_deliveries\` add constraint \`notification_deliveries_channel_id_foreign\` foreign key (\`channel_id\`) references \`notification_channels\` (\`id\`) on delete cascade;`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add constraint \`notification_deliveries_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade;`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` add constraint \`notification_deliveries_event_id_foreign\` foreign key (\`event_id\`) references \`repository_events\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`notification_channel_repositories\` add constraint \`notification_channel_repositories_notification_ch_9c311_foreign\` foreign key (\`notification_channel_id\`) references \`notification_channels\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`notification_channel_repositories\` add constraint \`notification_channel_repositories_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`notification_channel_groups\` add constraint \`notification_channel_groups_notification_channel_id_foreign\` foreign key (\`notification_channel_id\`) references \`notification_channels\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`notification_channel_groups\` add constraint \`notification_channel_groups_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`group_members\` add constraint \`group_members_group_id_foreign\` foreign key (\`group_id\`) references \`groups\` (\`id\`) on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table \`group_members\` add constraint \`group_members_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table \`api_tokens\` add constraint \`api_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`ssh_key_groups\` drop foreign key \`ssh_key_groups_group_id_foreign\`;`);
    this.addSql(`alter table \`repository_groups\` drop foreign key \`repository_groups_group_id_foreign\`;`);
    this.addSql(
      `alter table \`notification_channel_groups\` drop foreign key \`notification_channel_groups_group_id_foreign\`;`,
    );
    this.addSql(`alter table \`group_members\` drop foreign key \`group_members_group_id_foreign\`;`);
    this.addSql(`alter table \`repositories\` drop foreign key \`repositories_location_id_foreign\`;`);
    this.addSql(`alter table \`ssh_keys\` drop foreign key \`ssh_keys_owner_id_foreign\`;`);
    this.addSql(`alter table \`sessions\` drop foreign key \`sessions_user_id_foreign\`;`);
    this.addSql(`alter table \`repositories\` drop foreign key \`repositories_owner_id_foreign\`;`);
    this.addSql(
      `alter table \`notification_channels\` drop foreign key \`notification_channels_owner_id_foreign\`;`,
    );
    this.addSql(`alter table \`group_members\` drop foreign key \`group_members_user_id_foreign\`;`);
    this.addSql(`alter table \`api_tokens\` drop foreign key \`api_tokens_user_id_foreign\`;`);
    this.addSql(`alter table \`ssh_key_groups\` drop foreign key \`ssh_key_groups_ssh_key_id_foreign\`;`);
    this.addSql(
      `alter table \`repository_ssh_keys\` drop foreign key \`repository_ssh_keys_ssh_key_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`repository_append_only_keys\` drop foreign key \`repository_append_only_keys_ssh_key_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`repository_statistics\` drop foreign key \`repository_statistics_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`repository_events\` drop foreign key \`repository_events_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`repository_ssh_keys\` drop foreign key \`repository_ssh_keys_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`repository_groups\` drop foreign key \`repository_groups_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`repository_append_only_keys\` drop foreign key \`repository_append_only_keys_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` drop foreign key \`notification_deliveries_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`notification_channel_repositories\` drop foreign key \`notification_channel_repositories_repository_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` drop foreign key \`notification_deliveries_event_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`notification_deliveries\` drop foreign key \`notification_deliveries_channel_id_foreign\`;`,
    );
    this.addSql(
      `alter table \`notification_channel_repositories\` drop foreign key \`notification_channel_repositories_notification_ch_9c311_foreign\`;`,
    );
    this.addSql(
      `alter table \`notification_channel_groups\` drop foreign key \`notification_channel_groups_notification_channel_id_foreign\`;`,
    );

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
