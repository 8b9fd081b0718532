import { Migration } from '@mikro-orm/migrations';

/** repositorySummary: counts and usage per health state from one index (health_rank, usage_bytes). */
export class Migration20261205082301 extends Migration {
  override name = 'Migration20261205082301';

  override up(): void | Promise<void> {
    this.addSql(
      `create index \`repositories_health_rank_usage_bytes_index\` on \`repositories\` (\`health_rank\`, \`usage_bytes\`);`,
    );
  }

  override down(): void | Promise<void> {
    // only the index: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop index \`repositories_health_rank_usage_bytes_index\`;`);
  }
}
