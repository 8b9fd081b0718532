import { Migration } from '@mikro-orm/migrations';

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
 *
 * SQLite cannot change a check constraint: repository_events is rebuilt. Inside the migration's
 * transaction `pragma foreign_keys = off` does nothing, and dropping the old table would cascade to
 * notification_deliveries (event_id ... on delete cascade), so those rows are kept aside and put back;
 * the table's data_version triggers and indexes are made again.
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
    const check = types.map((t) => `'${t}'`).join(', ');
    this.addSql(
      `create table \`repository_events__new\` (\`id\` integer not null primary key autoincrement, \`repository_id\` integer not null, \`type\` text check (\`type\` in (${check})) not null, \`message\` text not null, \`log\` text null, \`created_at\` datetime not null, constraint \`repository_events_repository_id_foreign\` foreign key (\`repository_id\`) references \`repositories\` (\`id\`) on delete cascade);`,
    );
    this.addSql(
      `insert into \`repository_events__new\` (\`id\`, \`repository_id\`, \`type\`, \`message\`, \`log\`, \`created_at\`) select \`id\`, \`repository_id\`, \`type\`, \`message\`, \`log\`, \`created_at\` from \`repository_events\`;`,
    );
    this.addSql(
      `create temp table \`notification_deliveries__kept\` as select * from \`notification_deliveries\`;`,
    );
    this.addSql(`drop table \`repository_events\`;`);
    this.addSql(`alter table \`repository_events__new\` rename to \`repository_events\`;`);
    this.addSql(`insert into \`notification_deliveries\` select * from \`notification_deliveries__kept\`;`);
    this.addSql(`drop table \`notification_deliveries__kept\`;`);
    this.addSql(
      `create index \`repository_events_repository_id_index\` on \`repository_events\` (\`repository_id\`);`,
    );
    this.addSql(
      `create index \`repository_events_repository_id_created_at_index\` on \`repository_events\` (\`repository_id\`, \`created_at\`);`,
    );
    for (const op of ['insert', 'update', 'delete'])
      this.addSql(
        `create trigger \`repository_events_${op}_data_version\` after ${op} on \`repository_events\` for each row begin update \`data_versions\` set \`version\` = \`version\` + 1 where \`id\` = 1; end;`,
      );
  }
}
