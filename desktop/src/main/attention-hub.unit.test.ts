import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttentionHub } from './attention-hub.js';

const hives = [
  { id: 'a', name: 'office', url: 'https://a.example' },
  { id: 'b', name: 'lab', url: 'https://b.example' },
];
const failed = {
  id: '1',
  name: 'nightly',
  state: 'FAILED',
  reason: 'borg exited 2',
  since: '2026-12-01T00:00:00Z',
};

test('the tray counts across hives, lists an offline hive, and notifies once per incident after the first look', () => {
  const hub = new AttentionHub();
  const first = hub.apply({ hiveId: 'a', online: true, repositories: [failed] }, hives);
  assert.equal(first.tray.count, 1);
  assert.deepEqual(first.notifications, [], 'what was wrong at start is in the tray, not a pop-up');
  const stale = { id: '2', name: 'photos', state: 'STALE', reason: 'no backup for 3 days', since: null };
  const next = hub.apply({ hiveId: 'a', online: true, repositories: [failed, stale] }, hives);
  assert.deepEqual(
    next.notifications.map((n) => [n.hiveId, n.repositoryId]),
    [['a', '2']],
  );
  assert.deepEqual(
    hub.apply({ hiveId: 'a', online: true, repositories: [failed, stale] }, hives).notifications,
    [],
  );
  const away = hub.apply({ hiveId: 'b', online: false, repositories: [] }, hives);
  assert.equal(away.tray.count, 2);
  assert.match(away.tray.tooltip, /2 need attention, 1 hive\(s\) offline/);
  assert.ok(away.tray.items.some((item) => item.label === 'lab: offline (last known state)'));
});

test('a report about a hive that is not (or no longer) in the store counts for nothing', () => {
  const hub = new AttentionHub();
  assert.equal(hub.apply({ hiveId: 'zz', online: true, repositories: [failed] }, hives).tray.count, 0);
  hub.apply({ hiveId: 'a', online: true, repositories: [failed] }, hives);
  assert.equal(hub.apply({ hiveId: 'b', online: true, repositories: [] }, hives.slice(1)).tray.count, 0);
});

test("a hive's switch off: its problems stay in the tray but raise no notification; on again: new ones do", () => {
  const hub = new AttentionHub();
  const quiet = [{ ...hives[0]!, notify: false }, hives[1]!];
  hub.apply({ hiveId: 'a', online: true, repositories: [] }, quiet);
  const muted = hub.apply({ hiveId: 'a', online: true, repositories: [failed] }, quiet);
  assert.equal(muted.tray.count, 1, 'still counted in the tray');
  assert.deepEqual(muted.notifications, []);
  const stale = { id: '2', name: 'photos', state: 'STALE', reason: 'no backup for 3 days', since: null };
  const loud = hub.apply({ hiveId: 'a', online: true, repositories: [failed, stale] }, hives);
  assert.deepEqual(
    loud.notifications.map((n) => n.repositoryId),
    ['2'],
    'switched on: the next incident notifies (the muted one is not replayed)',
  );
  hub.apply({ hiveId: 'b', online: true, repositories: [] }, quiet);
  assert.deepEqual(
    hub
      .apply({ hiveId: 'b', online: true, repositories: [failed] }, quiet)
      .notifications.map((n) => n.hiveId),
    ['b'],
    'the switch is per hive',
  );
});
