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
  'ARCHIVE_CREATED',
  'ARCHIVE_DELETED',
  'KEY_ADDED',
  'KEY_REMOVED',
];

/** repository_events.type gains LOGIN_REFUSED (a login refused at key lookup, e.g. over quota). */
export class Migration20261206030000 extends Migration {
  override name = 'Migration20261206030000';

  override up(): void | Promise<void> {
    for (const sql of rebuildEventsSql([...OLD_TYPES, 'LOGIN_REFUSED'])) this.addSql(sql);
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from \`repository_events\` where \`type\` = 'LOGIN_REFUSED';`);
    for (const sql of rebuildEventsSql(OLD_TYPES)) this.addSql(sql);
  }
}
