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
 * data_versions and triggers that raise a version on every change to a tracked table. The version is
 * the sum over 64 rows, each raised by the connections whose id falls on it: a transaction holds only
 * its own connection's row until it commits, so concurrent writers (a slow LDAP call inside one, a batch
 * of events in another) do not queue on one hot row. BEFORE triggers: the row is locked before the row
 * locks of the statement.
 */
export class Migration20261129142815 extends Migration {
  override name = 'Migration20261129142815';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`data_versions\` (\`id\` int unsigned not null, \`version\` bigint not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`,
    );
    const rows = Array.from({ length: 64 }, (_, id) => `(${id}, 0)`).join(', ');
    this.addSql(`insert into \`data_versions\` (\`id\`, \`version\`) values ${rows};`);
    for (const table of TRACKED)
      for (const op of OPERATIONS)
        this.addSql(
          `create trigger \`${table}_${op}_data_version\` before ${op} on \`${table}\` for each row update \`data_versions\` set \`version\` = \`version\` + 1 where \`id\` = connection_id() % 64;`,
        );
  }

  override down(): void | Promise<void> {
    for (const table of TRACKED)
      for (const op of OPERATIONS) this.addSql(`drop trigger if exists \`${table}_${op}_data_version\`;`);
    this.addSql(`drop table if exists \`data_versions\`;`);
  }
}
