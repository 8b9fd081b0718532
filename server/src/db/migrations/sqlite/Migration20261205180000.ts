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
  'PING_URL_ROTATED',
];
const BORG2_TYPES = ['ARCHIVE_CREATED', 'ARCHIVE_DELETED', 'KEY_ADDED', 'KEY_REMOVED'];

/** repository_events.type gains the borg 2 watcher's ARCHIVE_CREATED ARCHIVE_DELETED KEY_ADDED KEY_REMOVED. */
export class Migration20261205180000 extends Migration {
  override name = 'Migration20261205180000';

  override up(): void | Promise<void> {
    for (const sql of rebuildEventsSql([...OLD_TYPES, ...BORG2_TYPES])) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    const gone = BORG2_TYPES.map((t) => `'${t}'`).join(', ');
    this.addSql(`delete from \`repository_events\` where \`type\` in (${gone});`);
    for (const sql of rebuildEventsSql(OLD_TYPES)) this.addSql(sql);
  }
}
