import { Migration } from '@mikro-orm/migrations';

/** Sign-in: TOTP factors, recovery codes, sessions.second_factor; the audit trail (audit_log). */
export class Migration20261205113556 extends Migration {
  override name = 'Migration20261205113556';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`audit_log\` (\`id\` int unsigned not null auto_increment primary key, \`at\` datetime(3) not null, \`actor_id\` int null, \`actor_name\` varchar(64) null, \`via\` varchar(16) null, \`address\` varchar(64) not null, \`operation\` varchar(100) not null, \`target\` varchar(255) null, \`outcome\` varchar(32) not null, \`details\` text null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`audit_log\` add index \`audit_log_at_index\` (\`at\`);`);
    this.addSql(`alter table \`audit_log\` add index \`audit_log_operation_index\` (\`operation\`);`);
    this.addSql(
      `alter table \`audit_log\` add index \`audit_log_actor_id_id_index\` (\`actor_id\`, \`id\`);`,
    );

    this.addSql(
      `create table \`totp_factors\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`secret_sealed\` varchar(255) not null, \`confirmed_at\` datetime null, \`last_step\` int null, \`created_at\` datetime not null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`totp_factors\` add index \`totp_factors_user_id_index\` (\`user_id\`);`);
    this.addSql(`alter table \`totp_factors\` add unique \`totp_factors_user_id_unique\` (\`user_id\`);`);

    this.addSql(
      `create table \`recovery_codes\` (\`id\` int unsigned not null auto_increment primary key, \`user_id\` int unsigned not null, \`code_hash\` varchar(64) not null, \`used_at\` datetime null) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(`alter table \`recovery_codes\` add index \`recovery_codes_user_id_index\` (\`user_id\`);`);
    this.addSql(
      `alter table \`recovery_codes\` add unique \`recovery_codes_code_hash_unique\` (\`code_hash\`);`,
    );

    this.addSql(`alter table \`sessions\` add \`second_factor\` tinyint(1) not null default false;`);

    this.addSql(
      `alter table \`totp_factors\` add constraint \`totp_factors_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );

    this.addSql(
      `alter table \`recovery_codes\` add constraint \`recovery_codes_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    // only what up() made: the generator, told to ignore triggers, would recreate existing ones here
    this.addSql(`drop table if exists \`audit_log\`;`);
    this.addSql(`drop table if exists \`totp_factors\`;`);
    this.addSql(`drop table if exists \`recovery_codes\`;`);
    this.addSql(`alter table \`sessions\` drop column \`second_factor\`;`);
  }
}
