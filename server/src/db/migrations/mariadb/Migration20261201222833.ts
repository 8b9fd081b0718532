import { Migration } from '@mikro-orm/migrations';

/** Sessions remember their last use and where the login came from (the owner's session list). */
export class Migration20261201222833 extends Migration {
  override name = 'Migration20261201222833';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`sessions\` add \`last_used_at\` datetime null, add \`address\` varchar(64) null, add \`user_agent\` varchar(255) null;`,
    );
  }

  override down(): void | Promise<void> {
    // only the columns: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(
      `alter table \`sessions\` drop column \`last_used_at\`, drop column \`address\`, drop column \`user_agent\`;`,
    );
  }
}
