import { Migration } from '@mikro-orm/migrations';

/** Sessions remember their last use and where the login came from (the owner's session list). */
export class Migration20261201222824 extends Migration {
  override name = 'Migration20261201222824';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`sessions\` add column \`last_used_at\` datetime null;`);
    this.addSql(`alter table \`sessions\` add column \`address\` text null;`);
    this.addSql(`alter table \`sessions\` add column \`user_agent\` text null;`);
  }

  override down(): void | Promise<void> {
    // only the columns: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`alter table \`sessions\` drop column \`last_used_at\`;`);
    this.addSql(`alter table \`sessions\` drop column \`address\`;`);
    this.addSql(`alter table \`sessions\` drop column \`user_agent\`;`);
  }
}
