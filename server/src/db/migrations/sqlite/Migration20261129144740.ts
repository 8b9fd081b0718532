import { Migration } from '@mikro-orm/migrations';

/** login_failures: the login throttle's counters, shared by every API instance on the database. */
export class Migration20261129144740 extends Migration {
  override name = 'Migration20261129144740';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`login_failures\` (\`key\` text not null primary key, \`failures\` integer not null, \`locked_until\` datetime null, \`last_failure_at\` datetime not null);`,
    );
  }

  override down(): void | Promise<void> {
    // only the table: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop table if exists \`login_failures\`;`);
  }
}
