import { Migration } from '@mikro-orm/migrations';

/** OpenID Connect sign-in (issue 15): users.oidc_issuer + oidc_subject, oidc_logins. */
export class Migration20261205171419 extends Migration {
  override name = 'Migration20261205171419';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`oidc_logins\` (\`id\` int unsigned not null auto_increment primary key, \`state_hash\` varchar(64) not null, \`nonce\` varchar(64) not null, \`verifier_sealed\` varchar(255) not null, \`client_challenge\` varchar(64) not null, \`return_to\` varchar(255) null, \`client_state\` varchar(128) null, \`expires_at\` datetime not null, \`called_back_at\` datetime null, \`user_id\` int unsigned null, \`handoff_hash\` varchar(64) null, \`redeemed_at\` datetime null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`oidc_logins\` add unique \`oidc_logins_state_hash_unique\` (\`state_hash\`);`);
    this.addSql(`alter table \`oidc_logins\` add index \`oidc_logins_expires_at_index\` (\`expires_at\`);`);
    this.addSql(`alter table \`oidc_logins\` add index \`oidc_logins_user_id_index\` (\`user_id\`);`);
    this.addSql(
      `alter table \`oidc_logins\` add unique \`oidc_logins_handoff_hash_unique\` (\`handoff_hash\`);`,
    );

    this.addSql(
      `alter table \`users\` add \`oidc_issuer\` varchar(255) null, add \`oidc_subject\` varchar(255) null;`,
    );
    this.addSql(
      `alter table \`users\` add unique \`users_oidc_issuer_oidc_subject_unique\` (\`oidc_issuer\`, \`oidc_subject\`);`,
    );

    this.addSql(
      `alter table \`oidc_logins\` add constraint \`oidc_logins_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    // only what up() made: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop table if exists \`oidc_logins\`;`);
    this.addSql(`alter table \`users\` drop index \`users_oidc_issuer_oidc_subject_unique\`;`);
    this.addSql(`alter table \`users\` drop column \`oidc_issuer\`, drop column \`oidc_subject\`;`);
  }
}
