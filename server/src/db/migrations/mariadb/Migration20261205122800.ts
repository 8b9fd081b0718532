import { Migration } from '@mikro-orm/migrations';

/**
 * repositoryPage's search: the columns it matches (name, repo user, owner) in one narrow index, so
 * reading the ids of the matches scans the index instead of every whole row (a substring is no range).
 */
export class Migration20261205122800 extends Migration {
  override name = 'Migration20261205122800';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table \`repositories\` add index \`repositories_name_repo_user_owner_id_index\` (\`name\`, \`repo_user\`, \`owner_id\`);`,
    );
  }

  override down(): void | Promise<void> {
    // only the index: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`alter table \`repositories\` drop index \`repositories_name_repo_user_owner_id_index\`;`);
  }
}
