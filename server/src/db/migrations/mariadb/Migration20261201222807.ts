import { Migration } from '@mikro-orm/migrations';

/** Share roles (existing shares: VIEW), per-user limits, creation windows. */
export class Migration20261201222807 extends Migration {
  override name = 'Migration20261201222807';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`creation_windows\` (\`user_id\` int unsigned not null, \`started_at\` datetime(3) not null, \`count\` int not null, primary key (\`user_id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    this.addSql(
      `alter table \`creation_windows\` add index \`creation_windows_user_id_index\` (\`user_id\`);`,
    );

    this.addSql(
      `alter table \`users\` add \`limit_repositories\` int null, add \`limit_ssh_keys\` int null, add \`limit_channels\` int null, add \`limit_api_tokens\` int null;`,
    );

    // existing shares become VIEW: the safe reading of a share that never said what it allows (fail closed)
    this.addSql(
      `alter table \`repository_groups\` add \`role\` enum('VIEW','OPERATE','MANAGE') not null default 'VIEW';`,
    );

    this.addSql(
      `alter table \`creation_windows\` add constraint \`creation_windows_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`creation_windows\`;`);
    this.addSql(
      `alter table \`users\` drop column \`limit_repositories\`, drop column \`limit_ssh_keys\`, drop column \`limit_channels\`, drop column \`limit_api_tokens\`;`,
    );
    this.addSql(`alter table \`repository_groups\` drop column \`role\`;`);
  }
}
