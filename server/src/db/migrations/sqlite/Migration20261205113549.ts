import { Migration } from '@mikro-orm/migrations';

/** Sign-in: TOTP factors, recovery codes, sessions.second_factor; the audit trail (audit_log). */
export class Migration20261205113549 extends Migration {
  override name = 'Migration20261205113549';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_log\` (\`id\` integer not null primary key autoincrement, \`at\` datetime not null, \`actor_id\` integer null, \`actor_name\` text null, \`via\` text null, \`address\` text not null, \`operation\` text not null, \`target\` text null, \`outcome\` text not null, \`details\` text null);`,
    );
    this.addSql(`create index \`audit_log_at_index\` on \`audit_log\` (\`at\`);`);
    this.addSql(`create index \`audit_log_operation_index\` on \`audit_log\` (\`operation\`);`);
    this.addSql(`create index \`audit_log_actor_id_id_index\` on \`audit_log\` (\`actor_id\`, \`id\`);`);

    this.addSql(
      `create table \`totp_factors\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`secret_sealed\` text not null, \`confirmed_at\` datetime null, \`last_step\` integer null, \`created_at\` datetime not null, constraint \`totp_factors_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`totp_factors_user_id_index\` on \`totp_factors\` (\`user_id\`);`);
    this.addSql(`create unique index \`totp_factors_user_id_unique\` on \`totp_factors\` (\`user_id\`);`);

    this.addSql(
      `create table \`recovery_codes\` (\`id\` integer not null primary key autoincrement, \`user_id\` integer not null, \`code_hash\` text not null, \`used_at\` datetime null, constraint \`recovery_codes_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade);`,
    );
    this.addSql(`create index \`recovery_codes_user_id_index\` on \`recovery_codes\` (\`user_id\`);`);
    this.addSql(
      `create unique index \`recovery_codes_code_hash_unique\` on \`recovery_codes\` (\`code_hash\`);`,
    );

    this.addSql(`alter table \`sessions\` add column \`second_factor\` integer not null default false;`);
  }

  override down(): void | Promise<void> {
    // only what up() made: the generator, told to ignore triggers, would recreate existing ones here
    this.addSql(`drop table if exists \`audit_log\`;`);
    this.addSql(`drop table if exists \`totp_factors\`;`);
    this.addSql(`drop table if exists \`recovery_codes\`;`);
    this.addSql(`alter table \`sessions\` drop column \`second_factor\`;`);
  }
}
