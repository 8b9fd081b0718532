import { Migration } from '@mikro-orm/migrations';

/**
 * Contract §7 and §8: what repository health is computed from (ping failures and starts, the agent's
 * last report per location) and what repositoryPage orders and filters by (the stored last backup,
 * health rank and the instant it next changes by the clock, the usage order), with one index per order.
 */
export class Migration20261205072442 extends Migration {
  override name = 'Migration20261205072442';

  override up(): void | Promise<void> {
    this.addSql(`alter table \`repository_locations\` add column \`agent_seen_at\` datetime null;`);
    this.addSql(
      `alter table \`repository_locations\` add column \`agent_away\` integer not null default false;`,
    );

    this.addSql(`alter table \`repositories\` add column \`last_ping_failure_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`last_ping_failure_status\` integer null;`);
    this.addSql(`alter table \`repositories\` add column \`last_ping_start_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`last_backup_at\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`health_rank\` integer not null default 2;`);
    this.addSql(`alter table \`repositories\` add column \`health_until\` datetime null;`);
    this.addSql(`alter table \`repositories\` add column \`usage_order\` bigint not null default 1;`);
    this.addSql(`create index \`repositories_health_until_index\` on \`repositories\` (\`health_until\`);`);
    this.addSql(
      `create index \`repositories_usage_order_name_id_index\` on \`repositories\` (\`usage_order\`, \`name\`, \`id\`);`,
    );
    this.addSql(
      `create index \`repositories_last_backup_at_name_id_index\` on \`repositories\` (\`last_backup_at\`, \`name\`, \`id\`);`,
    );
    this.addSql(`create index \`repositories_name_id_index\` on \`repositories\` (\`name\`, \`id\`);`);
    this.addSql(
      `create index \`repositories_health_rank_name_id_index\` on \`repositories\` (\`health_rank\`, \`name\`, \`id\`);`,
    );

    // existing rows: the last backup from its two signals (lastBackupAt of alert-schedule), the usage order;
    // the health rank roughly, and due at once, so the health job's first run (at start) stores it exactly
    this.addSql(
      `update \`repositories\` set \`last_backup_at\` = case when \`last_updated_at\` is null then \`last_ping_success_at\` when \`last_ping_success_at\` is null or \`last_updated_at\` >= \`last_ping_success_at\` then \`last_updated_at\` else \`last_ping_success_at\` end, \`usage_order\` = case when \`usage_bytes\` is null then 1 else -\`usage_bytes\` end;`,
    );
    this.addSql(
      `update \`repositories\` set \`health_rank\` = case when \`is_open\` then 3 when \`last_backup_at\` is null then 2 else 5 end, \`health_until\` = \`created_at\`;`,
    );
  }

  override down(): void | Promise<void> {
    // only these changes: the generator, told to ignore triggers, would recreate the existing ones here
    this.addSql(`drop index \`repositories_health_until_index\`;`);
    this.addSql(`drop index \`repositories_usage_order_name_id_index\`;`);
    this.addSql(`drop index \`repositories_last_backup_at_name_id_index\`;`);
    this.addSql(`drop index \`repositories_name_id_index\`;`);
    this.addSql(`drop index \`repositories_health_rank_name_id_index\`;`);
    this.addSql(`alter table \`repositories\` drop column \`last_ping_failure_at\`;`);
    this.addSql(`alter table \`repositories\` drop column \`last_ping_failure_status\`;`);
    this.addSql(`alter table \`repositories\` drop column \`last_ping_start_at\`;`);
    this.addSql(`alter table \`repositories\` drop column \`last_backup_at\`;`);
    this.addSql(`alter table \`repositories\` drop column \`health_rank\`;`);
    this.addSql(`alter table \`repositories\` drop column \`health_until\`;`);
    this.addSql(`alter table \`repositories\` drop column \`usage_order\`;`);
    this.addSql(`alter table \`repository_locations\` drop column \`agent_seen_at\`;`);
    this.addSql(`alter table \`repository_locations\` drop column \`agent_away\`;`);
  }
}
