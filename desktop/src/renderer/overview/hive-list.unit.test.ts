import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendPage, emptyHiveList, removeRow, upsertRow, type HiveList } from './hive-list.js';
import { rowComparator } from './order.js';
import { row } from './test-rows.js';

const compare = rowComparator('NAME', false);
const ids = (list: HiveList): string[] => list.rows.map((r) => r.repository.id);
const loaded = appendPage(
  emptyHiveList,
  {
    rows: [
      row('h', { id: '1', name: 'b' }),
      row('h', { id: '2', name: 'd' }),
      row('h', { id: '3', name: 'f' }),
    ],
    hasNextPage: true,
    endCursor: 'c1',
  },
  compare,
);

test('a changed repository moves to where it sorts now', () => {
  assert.deepEqual(ids(upsertRow(loaded, row('h', { id: '1', name: 'e' }), true, compare)), ['2', '1', '3']);
});

test('a new repository is inserted within the loaded range, and left to a later page beyond it', () => {
  assert.deepEqual(ids(upsertRow(loaded, row('h', { id: '9', name: 'c' }), true, compare)), [
    '1',
    '9',
    '2',
    '3',
  ]);
  assert.deepEqual(ids(upsertRow(loaded, row('h', { id: '9', name: 'g' }), true, compare)), ['1', '2', '3']);
  const last = { ...loaded, hasNextPage: false };
  assert.deepEqual(ids(upsertRow(last, row('h', { id: '9', name: 'g' }), true, compare)), [
    '1',
    '2',
    '3',
    '9',
  ]);
});

test('a repository that left the view or moved past the loaded range goes', () => {
  assert.deepEqual(ids(upsertRow(loaded, row('h', { id: '2', name: 'd' }), false, compare)), ['1', '3']);
  assert.deepEqual(ids(upsertRow(loaded, row('h', { id: '2', name: 'z' }), true, compare)), ['1', '3']);
  // The boundary is where the cursor stands, even after its own row moved away.
  assert.deepEqual(ids(upsertRow(loaded, row('h', { id: '3', name: 'a' }), true, compare)), ['3', '1', '2']);
  assert.equal(loaded.boundary?.repository.name, 'f');
});

test('removal, and a later page that repeats a row placed live', () => {
  assert.deepEqual(ids(removeRow(loaded, '2')), ['1', '3']);
  assert.equal(removeRow(loaded, '7'), loaded);
  const next = appendPage(
    upsertRow(loaded, row('h', { id: '5', name: 'e' }), true, compare),
    {
      rows: [row('h', { id: '5', name: 'g' }), row('h', { id: '6', name: 'h' })],
      hasNextPage: false,
      endCursor: 'c2',
    },
    compare,
  );
  assert.deepEqual(ids(next), ['1', '2', '3', '5', '6']);
  assert.equal(next.hasNextPage, false);
});
