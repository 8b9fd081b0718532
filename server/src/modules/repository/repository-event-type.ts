import { registerEnumType } from 'type-graphql';

export enum RepositoryEventType {
  CREATED = 'CREATED',
  OPENED = 'OPENED',
  CLOSED = 'CLOSED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  ACCESSED = 'ACCESSED',
  ALERT = 'ALERT',
  RECOVERED = 'RECOVERED',
  BACKUP_STARTED = 'BACKUP_STARTED',
  BACKUP_SUCCEEDED = 'BACKUP_SUCCEEDED',
  BACKUP_FAILED = 'BACKUP_FAILED',
  BACKUP_LOG = 'BACKUP_LOG',
  PING_URL_ROTATED = 'PING_URL_ROTATED',
  ARCHIVE_CREATED = 'ARCHIVE_CREATED',
  ARCHIVE_DELETED = 'ARCHIVE_DELETED',
  KEY_ADDED = 'KEY_ADDED',
  KEY_REMOVED = 'KEY_REMOVED',
  LOGIN_REFUSED = 'LOGIN_REFUSED',
}

registerEnumType(RepositoryEventType, {
  name: 'RepositoryEventType',
  valuesConfig: {
    CREATED: { description: 'borg init wrote the repository' },
    OPENED: { description: 'a write session took the exclusive lock' },
    CLOSED: { description: 'the write session released the lock' },
    UPDATED: { description: 'a commit replaced index.*' },
    DELETED: { description: 'the repository directory vanished' },
    ACCESSED: { description: 'a read (borg list, extract) took a shared lock; not a backup' },
    ALERT: {
      description:
        'the last backup is older than alertAfterDays, or (borg 2) many archives were deleted at once or a key changed',
    },
    RECOVERED: { description: 'a backup arrived after an alert' },
    BACKUP_STARTED: { description: 'the client reported a start through the ping URL' },
    BACKUP_SUCCEEDED: { description: 'the client reported success through the ping URL' },
    BACKUP_FAILED: { description: 'the client reported a failure through the ping URL' },
    BACKUP_LOG: { description: 'the client sent a log through the ping URL' },
    PING_URL_ROTATED: { description: 'the ping URL was replaced; the old one answers 404' },
    ARCHIVE_CREATED: { description: 'borg 2: a new archive in archives/ (a backup)' },
    ARCHIVE_DELETED: {
      description: 'borg 2: archives deleted (renamed to <id>.del); the log lists their ids',
    },
    KEY_ADDED: { description: 'borg 2: a key object appeared in keys/ (a new or re-encrypted borg key)' },
    KEY_REMOVED: { description: 'borg 2: a key object left keys/' },
    LOGIN_REFUSED: {
      description:
        'an ssh login was refused at key lookup (over the quota the hive enforces on borg 2 and rsync repositories); the message says why',
    },
  },
});
