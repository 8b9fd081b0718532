import { Migration } from '@mikro-orm/migrations';

/** repositories.maintenance_started_at/_finished_at: the window of the hive's last COMPACT or CHECK run. */
export class Migration20261206025238 extends Migration {
  override name = 'Migration20261206025238';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`repositories\` add \`maintenance_started_at\` datetime(3) null, add \`maintenance_finished_at\` datetime(3) null;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table \`repositories\` drop column \`maintenance_started_at\`, drop column \`maintenance_finished_at\`;`,
    );
  }
}
