import { Migration } from '@mikro-orm/migrations';

/** METRICS token scope; channel kinds APPRISE GOTIFY TELEGRAM MATRIX UPTIME_KUMA; notification_channels.rules. */
export class Migration20261205113225 extends Migration {
  override name = 'Migration20261205113225';

  override up(): void | Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`notification_channels__temp_alter\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`kind\` text check (\`kind\` in ('EMAIL', 'PUSHOVER', 'WEBHOOK', 'NTFY', 'APPRISE', 'GOTIFY', 'TELEGRAM', 'MATRIX', 'UPTIME_KUMA')) not null, \`enabled\` integer not null default true, \`settings\` json not null, \`rules\` json null, \`owner_id\` integer not null, \`created_at\` datetime not null, constraint \`notification_channels_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `insert into \`notification_channels__temp_alter\` select \`id\`, \`name\`, \`kind\`, \`enabled\`, \`settings\`, null as \`rules\`, \`owner_id\`, \`created_at\` from \`notification_channels\`;`,
    );
    this.addSql(`drop table \`notification_channels\`;`);
    this.addSql(`alter table \`notification_channels__temp_alter\` rename to \`notification_channels\`;`);
    this.addSql(
      `create index \`notification_channels_owner_id_index\` on \`notification_channels\` (\`owner_id\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);

    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`api_tokens__temp_alter\` (\`id\` integer not null primary key autoincrement, \`name\` text not null, \`scope\` text check (\`scope\` in ('READ_ONLY', 'FULL', 'KEYS_READ', 'AGENT', 'METRICS')) not null, \`secret_hash\` text not null, \`user_id\` integer not null, \`location_id\` integer null, \`expires_at\` datetime null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime not null, constraint \`api_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade, constraint \`api_tokens_location_id_foreign\` foreign key (\`location_id\`) references \`repository_locations\` (\`id\`) on delete set null);`,
    );
    this.addSql(
      `insert into \`api_tokens__temp_alter\` select \`id\`, \`name\`, \`scope\`, \`secret_hash\`, \`user_id\`, \`location_id\`, \`expires_at\`, \`last_used_at\`, \`revoked_at\`, \`created_at\` from \`api_tokens\`;`,
    );
    this.addSql(`drop table \`api_tokens\`;`);
    this.addSql(`alter table \`api_tokens__temp_alter\` rename to \`api_tokens\`;`);
    this.addSql(`create unique index \`api_tokens_secret_hash_unique\` on \`api_tokens\` (\`secret_hash\`);`);
    this.addSql(`create index \`api_tokens_user_id_index\` on \`api_tokens\` (\`user_id\`);`);
    this.addSql(`create index \`api_tokens_location_id_index\` on \`api_tokens\` (\`location_id\`);`);
    this.addSql(`pragma foreign_keys = on;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`api_tokens__temp_alter\` (\`id\` integer not null primary key autoincrement, \`name\` TEXT not null, \`scope\` TEXT check (\`scope\` in ('READ_ONLY', 'FULL', 'KEYS_READ', 'AGENT')) not null, \`secret_hash\` TEXT not null, \`user_id\` INTEGER not null, \`expires_at\` datetime null, \`last_used_at\` datetime null, \`revoked_at\` datetime null, \`created_at\` datetime not null, \`location_id\` INTEGER null, constraint \`api_tokens_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update no action on delete cascade, constraint \`api_tokens_location_id_foreign\` foreign key (\`location_id\`) references \`repository_locations\` (\`id\`) on update no action on delete set null);`,
    );
    this.addSql(
      `insert into \`api_tokens__temp_alter\` select \`id\`, \`name\`, \`scope\`, \`secret_hash\`, \`user_id\`, \`expires_at\`, \`last_used_at\`, \`revoked_at\`, \`created_at\`, \`location_id\` from \`api_tokens\`;`,
    );
    this.addSql(`drop table \`api_tokens\`;`);
    this.addSql(`alter table \`api_tokens__temp_alter\` rename to \`api_tokens\`;`);
    this.addSql(`create index \`api_tokens_location_id_index\` on \`api_tokens\` (\`location_id\`);`);
    this.addSql(`create index \`api_tokens_user_id_index\` on \`api_tokens\` (\`user_id\`);`);
    this.addSql(`create unique index \`api_tokens_secret_hash_unique\` on \`api_tokens\` (\`secret_hash\`);`);
    this.addSql(`pragma foreign_keys = on;`);
    this.addSql(`pragma foreign_keys = off;`);
    this.addSql(
      `create table \`notification_channels__temp_alter\` (\`id\` integer not null primary key autoincrement, \`name\` TEXT not null, \`kind\` TEXT check (\`kind\` in ('EMAIL', 'PUSHOVER', 'WEBHOOK', 'NTFY')) not null, \`enabled\` INTEGER not null default true, \`settings\` json not null, \`owner_id\` INTEGER not null, \`created_at\` datetime not null, constraint \`notification_channels_owner_id_foreign\` foreign key (\`owner_id\`) references \`users\` (\`id\`) on update no action on delete cascade);`,
    );
    this.addSql(
      `insert into \`notification_channels__temp_alter\` select \`id\`, \`name\`, \`kind\`, \`enabled\`, \`settings\`, \`owner_id\`, \`created_at\` from \`notification_channels\`;`,
    );
    this.addSql(`drop table \`notification_channels\`;`);
    this.addSql(`alter table \`notification_channels__temp_alter\` rename to \`notification_channels\`;`);
    this.addSql(
      `create index \`notification_channels_owner_id_index\` on \`notification_channels\` (\`owner_id\`);`,
    );
    this.addSql(`pragma foreign_keys = on;`);
  }
}
