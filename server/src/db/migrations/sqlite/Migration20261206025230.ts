import { Migration } from '@mikro-orm/migrations';

/** repositories.maintenance_started_at/_finished_at: the window of the hive's last COMPACT or CHECK run. */
export class Migration20261206025230 extends Migration {
  override name = 'Migration20261206025230';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`repositories\` add column \`maintenance_started_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`maintenance_finished_at\` datetime null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`repositories\` drop column \`maintenance_started_at\`;`);
    this.addSql(`alter table \`repositories\` drop column \`maintenance_finished_at\`;`);
  }
}
