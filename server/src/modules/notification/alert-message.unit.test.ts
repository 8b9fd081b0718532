import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUtc, messageFor } from './alert-message.js';

const repository = { id: 'r-1', name: 'db-Prod', url: 'ssh://k3j4h5g6@hive.example:2222/./db-Prod' };
const lastBackup = new Date('2026-04-10T07:30:12Z');
const now = new Date('2026-04-13T08:00:00Z');

describe('messageFor', () => {
  it('words a stale alert with the threshold and the last backup', () => {
    const message = messageFor('STALE', repository, lastBackup, 3, now);
    assert.equal(message.title, 'Missing backup for db-Prod');
    assert.equal(
      message.body,
      'The last backup of db-Prod is older than 3 days (last: 2026-04-10 07:30 UTC).\n\n' +
        'Repository: db-Prod\nURL: ssh://k3j4h5g6@hive.example:2222/./db-Prod',
    );
    assert.deepEqual(
      {
        state: message.state,
        repository: message.repository,
        lastBackupAt: message.lastBackupAt,
        createdAt: message.createdAt,
      },
      { state: 'STALE', repository, lastBackupAt: lastBackup, createdAt: now },
    );
  });

  it('words a repository that never had a backup', () => {
    assert.match(
      messageFor('STALE', repository, null, 1, now).body,
      /^No backup of db-Prod has arrived in the 1 day since it was created \(last: never\)\./,
    );
  });

  it('words recovery and test messages', () => {
    const recovered = messageFor('RECOVERED', repository, lastBackup, 3, now);
    assert.equal(recovered.title, 'Backup received for db-Prod');
    assert.match(
      recovered.body,
      /^A new backup of db-Prod arrived \(last: 2026-04-10 07:30 UTC\); it is no longer missing\./,
    );
    const test = messageFor('TEST', null, null, null, now);
    assert.equal(test.title, 'Borg Hive test notification');
    assert.match(test.body, /^This is a test message from Borg Hive\./);
    assert.equal(test.repository, null);
  });

  it('formats instants in UTC to the minute', () => {
    assert.equal(formatUtc(new Date('2026-12-31T23:59:59.999Z')), '2026-12-31 23:59 UTC');
  });
});
