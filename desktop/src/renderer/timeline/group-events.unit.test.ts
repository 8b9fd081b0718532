import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, groupEvents, type TimelineEvent } from './group-events.js';

let next = 0;
const at = (type: string, second: number): TimelineEvent => ({
  id: String((next += 1)),
  type,
  message: type,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
});

test('a write session with a commit is one backup; without one it is a read; others pass through', () => {
  // Oldest first here, then reversed: the API sends newest first.
  const history = [
    at('OPENED', 0),
    at('UPDATED', 30),
    at('UPDATED', 40),
    at('CLOSED', 45),
    at('BACKUP_SUCCEEDED', 46),
    at('OPENED', 100),
    at('CLOSED', 102),
    at('ALERT', 200),
    at('OPENED', 300),
  ];
  const items = groupEvents([...history].reverse());
  assert.deepEqual(
    items.map((item) =>
      item.kind === 'session' ? `session commits=${item.commits} ms=${item.durationMs}` : item.event.type,
    ),
    [
      'session commits=0 ms=null',
      'ALERT',
      'session commits=0 ms=2000',
      'BACKUP_SUCCEEDED',
      'session commits=2 ms=45000',
    ],
  );
});

test('a CLOSED or UPDATED without its OPENED (cut off by the event limit) stays a plain event', () => {
  const items = groupEvents([at('UPDATED', 5), at('CLOSED', 10)].reverse());
  assert.deepEqual(
    items.map((item) => (item.kind === 'event' ? item.event.type : 'session')),
    ['CLOSED', 'UPDATED'],
  );
});

test('durations read as people say them', () => {
  assert.deepEqual([45_000, 200_000, 3_600_000, 7_500_000].map(formatDuration), [
    '45 s',
    '3 min 20 s',
    '1 h',
    '2 h 5 min',
  ]);
});

test('borg 2: a session with a new archive is a backup, and the archive and deletions stay listed', () => {
  const history = [
    at('OPENED', 0),
    at('ARCHIVE_CREATED', 20),
    at('CLOSED', 25),
    at('OPENED', 60),
    at('ARCHIVE_DELETED', 61),
    at('CLOSED', 62),
  ];
  const items = groupEvents([...history].reverse());
  assert.deepEqual(
    items.map((item) =>
      item.kind === 'session' ? `session commits=${item.commits} ms=${item.durationMs}` : item.event.type,
    ),
    ['session commits=0 ms=2000', 'ARCHIVE_DELETED', 'session commits=1 ms=25000', 'ARCHIVE_CREATED'],
  );
});
