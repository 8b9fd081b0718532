import { Migration } from '@mikro-orm/migrations';

/** Passkeys (issue 15): passkeys and their one-time challenges. */
export class Migration20261205171304 extends Migration {
  override name = 'Migration20261205171304';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`passkey_challenges\` (\`id\` integer not null primary key autoincrement, \`challenge\` text not null, \`purpose\` text not null, \`user_id\` integer null, \`expires_at\` datetime not null, constraint \`passkey_challenges_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `create unique index \`passkey_challenges_challenge_unique\` on \`passkey_challenges\` (\`challenge\`);`,
    );
    this.addSql(`create index \`passkey_challenges_user_id_index\` on \`passkey_challenges\` (\`user_id\`);`);
    this.addSql(
      `create index \`passkey_challenges_expires_at_index\` on \`passkey_challenges\` (\`expires_at\`);`,
    );

    this.addSql(
      `create table \`passkeys\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`credential_id\` text not null, \`public_key\` text not null, \`counter\` integer not null default 0, \`transports\` text null, \`name\` text not null, \`device_type\` text not null, \`backed_up\` integer not null default false, \`created_at\` datetime not null, \`last_used_at\` datetime null, constraint \`passkeys_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`passkeys_user_id_index\` on \`passkeys\` (\`user_id\`);`);
    this.addSql(`create unique index \`passkeys_credential_id_unique\` on \`passkeys\` (\`credential_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`passkey_challenges\`;`);
    this.addSql(`drop table if exists \`passkeys\`;`);
  }
}
