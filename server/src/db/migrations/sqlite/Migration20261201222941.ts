import { Migration } from '@mikro-orm/migrations';
import { rebuildEventsSql } from '../../sqlite-event-types.js';

const OLD_TYPES = [
  'CREATED',
  'OPENED',
  'CLOSED',
  'UPDATED',
  'DELETED',
  'ACCESSED',
  'ALERT',
  'RECOVERED',
  'BACKUP_STARTED',
  'BACKUP_SUCCEEDED',
  'BACKUP_FAILED',
  'BACKUP_LOG',
];
const NEW_TYPES = [...OLD_TYPES, 'PING_URL_ROTATED'];

/**
 * api_tokens.location_id: the location an AGENT token serves (existing AGENT tokens keep none and are
 * refused until replaced); repository_events.type gains PING_URL_ROTATED.
 * SQLite cannot change a check constraint: repository_events is rebuilt (see rebuildEventsSql).
 */
export class Migration20261201222941 extends Migration {
  override name = 'Migration20261201222941';

  override up(): void | Promise<void> {
    this.rebuildEvents(NEW_TYPES);
    this.addSql(
      `alter table \`api_tokens\` add column \`location_id\` integer null constraint \`api_tokens_location_id_foreign\` references \`repository_locations\` (\`id\`) on delete set null;`,
    );
    this.addSql(`create index \`api_tokens_location_id_index\` on \`api_tokens\` (\`location_id\`);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index \`api_tokens_location_id_index\`;`);
    this.addSql(`alter table \`api_tokens\` drop column \`location_id\`;`);
    this.addSql(`delete from \`repository_events\` where \`type\` = 'PING_URL_ROTATED';`);
    this.rebuildEvents(OLD_TYPES);
  }

  private rebuildEvents(types: string[]): void {
    for (const sql of rebuildEventsSql(types)) this.addSql(sql);
  }
}
