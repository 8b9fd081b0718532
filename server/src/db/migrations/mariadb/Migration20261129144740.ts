import { Migration } from '@mikro-orm/migrations';

/** login_failures: the login throttle's counters, shared by every API instance on the database. */
export class Migration20261129144740 extends Migration {
  override name = 'Migration20261129144740';

  override up(): void | Promise<void> {
    this.addSql(
      `create table \`login_failures\` (\`key\` varchar(200) not null, \`failures\` int not null, \`locked_until\` datetime(3) null, \`last_failure_at\` datetime(3) not null, primary key (\`key\`)) default character set utf8mb4 engine = InnoDB;`,
    );
  }

  override down(): void | Promise<void> {
    // only the table: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop table if exists \`login_failures\`;`);
  }
}
