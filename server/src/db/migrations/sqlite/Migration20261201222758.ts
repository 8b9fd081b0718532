import { Migration } from '@mikro-orm/migrations';

/** Share roles (existing shares: VIEW), per-user limits, creation windows. */
export class Migration20261201222758 extends Migration {
  override name = 'Migration20261201222758';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`creation_windows\` (\`user_id\` integer not null primary key, \`started_at\` datetime not null, \`count\` integer not null, constraint \`creation_windows_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete cascade);`,
    );
    this.addSql(`create index \`creation_windows_user_id_index\` on \`creation_windows\` (\`user_id\`);`);

    this.addSql(`alter table \`users\` add column \`limit_repositories\` integer null;`);
    this.addSql(`alter table \`users\` add column \`limit_ssh_keys\` integer null;`);
    this.addSql(`alter table \`users\` add column \`limit_channels\` integer null;`);
    this.addSql(`alter table \`users\` add column \`limit_api_tokens\` integer null;`);

    // existing shares become VIEW: the safe reading of a share that never said what it allows (fail closed)
    this.addSql(
      `alter table \`repository_groups\` add column \`role\` text check (\`role\` in ('VIEW', 'OPERATE', 'MANAGE')) not null default 'VIEW';`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists \`creation_windows\`;`);
    this.addSql(`alter table \`repository_groups\` drop column \`role\`;`);
    for (const column of ['limit_repositories', 'limit_ssh_keys', 'limit_channels', 'limit_api_tokens'])
      this.addSql(`alter table \`users\` drop column \`${column}\`;`);
  }
}
