import { Migration } from '@mikro-orm/migrations';

/** Passkeys (issue 15): passkeys and their one-time challenges. */
export class Migration20261205171316 extends Migration {
  override name = 'Migration20261205171316';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`passkey_challenges\` (\`id\` int unsigned not null auto_increment primary key, \`challenge\` varchar(128) not null, \`purpose\` varchar(16) not null, \`user_id\` int unsigned null, \`expires_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`passkey_challenges\` add unique \`passkey_challenges_challenge_unique\` (\`challenge\`);`,
    );
    this.addSql(
      `alter table \`passkey_challenges\` add index \`passkey_challenges_user_id_index\` (\`user_id\`);`,
    );
    this.addSql(
      `alter table \`passkey_challenges\` add index \`passkey_challenges_expires_at_index\` (\`expires_at\`);`,
    );

    this.addSql(
      `create table \`passkeys\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`credential_id\` varchar(255) not null, \`public_key\` text not null, \`counter\` int unsigned not null default 0, \`transports\` varchar(100) null, \`name\` varchar(100) not null, \`device_type\` varchar(16) not null, \`backed_up\` tinyint(1) not null default false, \`created_at\` datetime not null, \`last_used_at\` datetime null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`passkeys\` add index \`passkeys_user_id_index\` (\`user_id\`);`);
    this.addSql(`alter table \`passkeys\` add unique \`passkeys_credential_id_unique\` (\`credential_id\`);`);

    this.addSql(
      `alter table \`passkey_challenges\` add constraint \`passkey_challenges_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`passkeys\` add constraint \`passkeys_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`passkey_challenges\`;`);
    this.addSql(`drop table if exists \`passkeys\`;`);
  }
}
