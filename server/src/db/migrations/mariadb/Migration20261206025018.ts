import { Migration } from '@mikro-orm/migrations';

/** notification_deliveries.repository_id and event_id become nullable: a test message is about no repository. */
export class Migration20261206025018 extends Migration {
  override name = 'Migration20261206025018';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`notification_deliveries\` modify \`repository_id\` int unsigned null;`);
    this.addSql(`alter table \`notification_deliveries\` modify \`event_id\` int unsigned null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `delete from \`notification_deliveries\` where \`event_id\` is null or \`repository_id\` is null;`,
    );
    this.addSql(`alter table \`notification_deliveries\` modify \`repository_id\` int unsigned not null;`);
    this.addSql(`alter table \`notification_deliveries\` modify \`event_id\` int unsigned not null;`);
  }
}
