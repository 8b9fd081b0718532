import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotificationPolicy, trayModel, type WatchedRepository } from './attention.js';

const repo = (
  id: string,
  state: string,
  since: string | null = '2026-01-01T00:00:00Z',
): WatchedRepository => ({
  hiveId: id.startsWith('o') ? 'office' : 'home',
  hiveName: id.startsWith('o') ? 'Office' : 'Home',
  id,
  name: `repo-${id}`,
  state,
  reason: `reason ${id}`,
  since,
});

test('the tray counts what needs attention across hives, worst first, and lists offline hives', () => {
  const model = trayModel(
    [
      repo('h1', 'OK'),
      repo('h2', 'STALE'),
      repo('o1', 'FAILED'),
      repo('o2', 'NEVER_BACKED_UP'),
      repo('h3', 'IN_PROGRESS'),
    ],
    [{ id: 'office', name: 'Office' }],
  );
  assert.equal(model.count, 3);
  assert.equal(model.tooltip, 'Borg Hive: 3 need attention, 1 hive(s) offline');
  assert.deepEqual(
    model.items.map((item) => item.label),
    [
      'repo-o1 (Office): reason o1',
      'repo-h2 (Home): reason h2',
      'repo-o2 (Office): reason o2',
      'Office: offline (last known state)',
    ],
  );
  assert.equal(model.items[0]?.repositoryId, 'o1');
  const many = trayModel(
    Array.from({ length: 20 }, (_, i) => repo(`h${i}`, 'FAILED')),
    [],
    15,
  );
  assert.equal(many.items.length, 16);
  assert.equal(many.items.at(-1)?.label, '… and 5 more');
  assert.equal(trayModel([repo('h1', 'OK')], []).tooltip, 'Borg Hive: all repositories fine');
});

test('notifications: once per incident, not for what was wrong at start, only where switched on', () => {
  const off = new Set<string>();
  const policy = new NotificationPolicy((hiveId) => !off.has(hiveId));
  assert.deepEqual(policy.update('home', [repo('h1', 'FAILED')]), [], 'the first look only primes');
  const turned = policy.update('home', [repo('h1', 'FAILED'), repo('h2', 'STALE')]);
  assert.deepEqual(
    turned.map((n) => n.title),
    ['repo-h2 is stale · Home'],
  );
  assert.deepEqual(
    policy.update('home', [repo('h1', 'FAILED'), repo('h2', 'STALE')]),
    [],
    'once per incident',
  );
  // A new incident of the same repository (it recovered, then failed again) is news.
  assert.equal(policy.update('home', [repo('h2', 'FAILED', '2026-01-02T00:00:00Z')]).length, 1);
  off.add('office');
  policy.update('office', []);
  assert.deepEqual(policy.update('office', [repo('o1', 'FAILED')]), [], 'the switch is off for this hive');
  assert.equal(policy.alert('office', '7', { id: 'o1', name: 'repo-o1' }, 'stale'), null);
  const alert = policy.alert('home', '8', { id: 'h1', name: 'repo-h1' }, 'older than 2 days');
  assert.equal(alert?.title, 'Alert: repo-h1');
  assert.equal(policy.alert('home', '8', { id: 'h1', name: 'repo-h1' }, 'again'), null);
});
