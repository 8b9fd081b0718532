import { Migration } from '@mikro-orm/migrations';

/** ssh_keys.internal: a backup or maintenance run's temporary key, served but never listed or counted. */
export class Migration20261206024912 extends Migration {
  override name = 'Migration20261206024912';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`ssh_keys\` add \`internal\` tinyint(1) not null default false;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`ssh_keys\` drop column \`internal\`;`);
  }
}
