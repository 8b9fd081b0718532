import { Migration } from '@mikro-orm/migrations';

/** Every table a repository list reads from (frozen here: a later table needs its own migration). */
const TRACKED = [
  'users',
  'groups',
  'group_members',
  'repository_locations',
  'ssh_keys',
  'ssh_key_groups',
  'repositories',
  'repository_ssh_keys',
  'repository_append_only_keys',
  'repository_groups',
  'repository_events',
  'repository_statistics',
];
const OPERATIONS = ['insert', 'update', 'delete'];

/**
 * data_versions (one row: SQLite has one writer at a time) and triggers that raise its version on every
 * change to a tracked table.
 */
export class Migration20261129142815 extends Migration {
  override name = 'Migration20261129142815';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`data_versions\` (\`id\` integer not null primary key, \`version\` bigint not null);`,
    );
    this.addSql(`insert into \`data_versions\` (\`id\`, \`version\`) values (1, 0);`);
    for (const table of TRACKED)
      for (const op of OPERATIONS)
        this.addSql(
          `create trigger \`${table}_${op}_data_version\` after ${op} on \`${table}\` for each row begin update \`data_versions\` set \`version\` = \`version\` + 1 where \`id\` = 1; end;`,
        );
  }

  override down(): void | Promise<void> {
    for (const table of TRACKED)
      for (const op of OPERATIONS) this.addSql(`drop trigger if exists \`${table}_${op}_data_version\`;`);
    this.addSql(`drop table if exists \`data_versions\`;`);
  }
}
