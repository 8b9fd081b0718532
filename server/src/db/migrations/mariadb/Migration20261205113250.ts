import { Migration } from '@mikro-orm/migrations';

const PIVOTS = ['repository_read_only_keys', 'repository_write_only_keys'];
const OPERATIONS = ['insert', 'update', 'delete'];

/**
 * Borg 2: repositories.borg_version (existing rows are borg 1), archive_count and the read-only and write-only key lists,
 * tracked by data_versions like the other key lists (the repository read model reads them).
 */
export class Migration20261205113250 extends Migration {
  override name = 'Migration20261205113250';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`repositories\` add \`borg_version\` enum('BORG1','BORG2') not null default 'BORG1';`,
    );
    this.addSql(`alter table \`repositories\` add \`archive_count\` int null;`);
    for (const table of PIVOTS) {
      this.addSql(
        `create table \`${table}\` (\`repository_id\` int unsigned not null, \`ssh_key_id\` int unsigned not null, primary key (\`repository_id\`, \`ssh_key_id\`)) default character set utf8mb4 engine = InnoDB;`,
      );
      this.addSql(`alter table \`${table}\` add index \`${table}_repository_id_index\` (\`repository_id\`);`);
      this.addSql(`alter table \`${table}\` add index \`${table}_ssh_key_id_index\` (\`ssh_key_id\`);`);
      this.addSql(
        `alter table \`${table}\` add constraint \`${table}_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on update cascade on delete cascade;`,
      );
      this.addSql(
        `alter table \`${table}\` add constraint \`${table}_ssh_key_id_foreign\` foreign key (\`ssh_key_id\`) references \`ssh_keys\` (\`id\`) on update cascade on delete cascade;`,
      );
      for (const op of OPERATIONS)
        this.addSql(
          `create trigger \`${table}_${op}_data_version\` before ${op} on \`${table}\` for each row update \`data_versions\` set \`version\` = \`version\` + 1 where \`id\` = connection_id() % 64;`,
        );
    }
  }

  override down(): void | Promise<void> {
    for (const table of PIVOTS) this.addSql(`drop table if exists \`${table}\`;`);
    this.addSql(`alter table \`repositories\` drop column \`archive_count\`;`);
    this.addSql(`alter table \`repositories\` drop column \`borg_version\`;`);
  }
}
