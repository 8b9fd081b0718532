import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RepositoryOrder } from '../graphql/types.js';
import { compareIds, rowComparator } from './order.js';
import { randomRows, row } from './test-rows.js';

const names = (rows: { repository: { name: string } }[]): string[] => rows.map((r) => r.repository.name);

test('ATTENTION: failed, stale, never backed up, in progress, unknown, ok; then name, hive, id', () => {
  const rows = [
    row('a', { id: '1', name: 'ok', state: 'OK' }),
    row('a', { id: '2', name: 'unknown', state: 'UNKNOWN' }),
    row('a', { id: '3', name: 'running', state: 'IN_PROGRESS' }),
    row('a', { id: '4', name: 'never', state: 'NEVER_BACKED_UP' }),
    row('a', { id: '5', name: 'old', state: 'STALE' }),
    row('b', { id: '6', name: 'broken', state: 'FAILED' }),
    row('a', { id: '7', name: 'broken', state: 'FAILED' }),
    row('a', { id: '10', name: 'broken', state: 'FAILED' }),
  ];
  const sorted = rows.toSorted(rowComparator('ATTENTION', false));
  assert.deepEqual(names(sorted), ['broken', 'broken', 'broken', 'old', 'never', 'running', 'unknown', 'ok']);
  assert.deepEqual(
    sorted.slice(0, 3).map((r) => `${r.hiveId}:${r.repository.id}`),
    ['a:7', 'a:10', 'b:6'],
  );
});

test('names sort in binary order, ids numerically', () => {
  const rows = ['b', 'B', 'a.1', 'a-1', 'a_1', '0z', 'Z'].map((name, i) => row('h', { id: String(i), name }));
  assert.deepEqual(names(rows.toSorted(rowComparator('NAME', false))), [
    '0z',
    'B',
    'Z',
    'a-1',
    'a.1',
    'a_1',
    'b',
  ]);
  assert.ok(compareIds('9', '10') < 0);
  assert.ok(compareIds('12345678901234567890', '12345678901234567891') < 0);
});

test('LAST_BACKUP: never backed up first, then oldest; USAGE: largest first, unknown last', () => {
  const rows = [
    row('h', { id: '1', name: 'new', lastBackupAt: '2026-03-01T00:00:00.000Z', usageBytes: 5 }),
    row('h', { id: '2', name: 'never', lastBackupAt: null, usageBytes: null }),
    row('h', { id: '3', name: 'old', lastBackupAt: '2026-01-01T00:00:00.000Z', usageBytes: 50 }),
  ];
  assert.deepEqual(names(rows.toSorted(rowComparator('LAST_BACKUP', false))), ['never', 'old', 'new']);
  assert.deepEqual(names(rows.toSorted(rowComparator('USAGE', false))), ['old', 'new', 'never']);
});

test('reverse reverses the whole order, ties included', () => {
  for (const order of ['ATTENTION', 'NAME', 'LAST_BACKUP', 'USAGE'] satisfies RepositoryOrder[]) {
    const rows = [...randomRows('a', 60, 7), ...randomRows('b', 60, 8)];
    const forward = rows.toSorted(rowComparator(order, false));
    assert.deepEqual(rows.toSorted(rowComparator(order, true)), forward.toReversed(), order);
  }
});
