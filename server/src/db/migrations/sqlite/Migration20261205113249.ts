import { Migration } from '@mikro-orm/migrations';

const PIVOTS = ['repository_read_only_keys', 'repository_write_only_keys'];
const OPERATIONS = ['insert', 'update', 'delete'];

/**
 * Borg 2: repositories.borg_version (existing rows are borg 1), archive_count and the read-only and write-only key lists,
 * tracked by data_versions like the other key lists (the repository read model reads them).
 */
export class Migration20261205113249 extends Migration {
  override name = 'Migration20261205113249';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`repositories\` add column \`borg_version\` text check (\`borg_version\` in ('BORG1', 'BORG2')) not null default 'BORG1';`,
    );
    this.addSql(`alter table \`repositories\` add column \`archive_count\` integer null;`);
    for (const table of PIVOTS) {
      this.addSql(
        `create table \`${table}\` (\`repository_id\` integer not null, \`ssh_key_id\` integer not null, primary key (\`repository_id\`, \`ssh_key_id\`), constraint \`${table}_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade, constraint \`${table}_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade);`,
      );
      this.addSql(`create index \`${table}_repository_id_index\` on \`${table}\` (\`repository_id\`);`);
      this.addSql(`create index \`${table}_ssh_key_id_index\` on \`${table}\` (\`ssh_key_id\`);`);
      for (const op of OPERATIONS)
        this.addSql(
          `create trigger \`${table}_${op}_data_version\` after ${op} on \`${table}\` for each row begin update \`data_versions\` set \`version\` = \`version\` + 1 where \`id\` = 1; end;`,
        );
    }
  }

  override down(): void | Promise<void> {
    for (const table of PIVOTS) this.addSql(`drop table if exists \`${table}\`;`);
    this.addSql(`alter table \`repositories\` drop column \`archive_count\`;`);
    this.addSql(`alter table \`repositories\` drop column \`borg_version\`;`);
  }
}
