import { Migration } from '@mikro-orm/migrations';

/** OpenID Connect sign-in (issue 15): users.oidc_issuer + oidc_subject, oidc_logins. */
export class Migration20261205171415 extends Migration {
  override name = 'Migration20261205171415';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`oidc_logins\` (\`id\` integer not null primary key autoincrement, \`state_hash\` text not null, \`nonce\` text not null, \`verifier_sealed\` text not null, \`client_challenge\` text not null, \`return_to\` text null, \`client_state\` text null, \`expires_at\` datetime not null, \`called_back_at\` datetime null, \`user_id\` integer null, \`handoff_hash\` text null, \`redeemed_at\` datetime null, \`created_at\` datetime not null, constraint \`oidc_logins_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create unique index \`oidc_logins_state_hash_unique\` on \`oidc_logins\` (\`state_hash\`);`);
    this.addSql(`create index \`oidc_logins_expires_at_index\` on \`oidc_logins\` (\`expires_at\`);`);
    this.addSql(`create index \`oidc_logins_user_id_index\` on \`oidc_logins\` (\`user_id\`);`);
    this.addSql(
      `create unique index \`oidc_logins_handoff_hash_unique\` on \`oidc_logins\` (\`handoff_hash\`);`,
    );

    this.addSql(`alter table \`users\` add column \`oidc_issuer\` text null;`);
    this.addSql(`alter table \`users\` add column \`oidc_subject\` text null;`);
    this.addSql(
      `create unique index \`users_oidc_issuer_oidc_subject_unique\` on \`users\` (\`oidc_issuer\`, \`oidc_subject\`);`,
    );
  }

  override down(): void | Promise<void> {
    // only what up() made: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop table if exists \`oidc_logins\`;`);
    this.addSql(`drop index \`users_oidc_issuer_oidc_subject_unique\`;`);
    this.addSql(`alter table \`users\` drop column \`oidc_issuer\`;`);
    this.addSql(`alter table \`users\` drop column \`oidc_subject\`;`);
  }
}
