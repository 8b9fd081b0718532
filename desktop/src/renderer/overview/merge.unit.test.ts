import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendPage, emptyHiveList, type HiveList } from './hive-list.js';
import { mergeHives } from './merge.js';
import { rowComparator } from './order.js';
import { rowKey, type OverviewRow } from './row.js';
import { randomRows, row } from './test-rows.js';

const keys = (rows: readonly OverviewRow[]): string[] => rows.map(rowKey);

test('a row is shown only once every other hive has loaded past it', () => {
  const compare = rowComparator('ATTENTION', false);
  const a = appendPage(
    emptyHiveList,
    {
      rows: [
        row('a', { id: '1', name: 'x', state: 'FAILED' }),
        row('a', { id: '2', name: 'y', state: 'OK' }),
      ],
      hasNextPage: false,
      endCursor: 'a1',
    },
    compare,
  );
  const b = appendPage(
    emptyHiveList,
    { rows: [row('b', { id: '1', name: 'm', state: 'STALE' })], hasNextPage: true, endCursor: 'b1' },
    compare,
  );
  // Hive b may still have a FAILED/STALE/... row before a's OK one: that one waits.
  const merged = mergeHives(
    new Map([
      ['a', a],
      ['b', b],
    ]),
    compare,
  );
  assert.deepEqual(keys(merged.rows), ['a:1', 'b:1']);
  assert.equal(merged.complete, false);
  assert.equal(merged.blockingHiveId, 'b');
  // Nothing shows before every hive has answered once.
  assert.deepEqual(
    mergeHives(
      new Map([
        ['a', a],
        ['b', emptyHiveList],
      ]),
      compare,
    ).rows,
    [],
  );
  // A hive that failed does not hold the others back.
  const failed = { ...emptyHiveList, error: 'unreachable' };
  assert.deepEqual(
    keys(
      mergeHives(
        new Map([
          ['a', a],
          ['b', failed],
        ]),
        compare,
      ).rows,
    ),
    ['a:1', 'a:2'],
  );
});

test('paging hives in any interleaving only ever shows a prefix of the reference sort', () => {
  for (const order of ['ATTENTION', 'NAME', 'LAST_BACKUP', 'USAGE'] as const) {
    for (const reverse of [false, true]) {
      const compare = rowComparator(order, reverse);
      const all = { a: randomRows('a', 97, 1), b: randomRows('b', 40, 2), c: randomRows('c', 130, 3) };
      const reference = keys(Object.values(all).flat().sort(compare));
      const sorted = Object.fromEntries(Object.entries(all).map(([id, rows]) => [id, rows.sort(compare)]));
      let lists = new Map<string, HiveList>(Object.keys(all).map((id) => [id, emptyHiveList]));
      const offsets = new Map<string, number>();
      for (let step = 0; ; step += 1) {
        const open = [...lists].filter(([, list]) => list.hasNextPage).map(([id]) => id);
        if (open.length === 0) break;
        const id = open[step % open.length]!;
        const from = offsets.get(id) ?? 0;
        const size = 1 + ((step * 7) % 23);
        const rows = sorted[id]!.slice(from, from + size);
        offsets.set(id, from + size);
        const page = { rows, hasNextPage: from + size < sorted[id]!.length, endCursor: `${id}${step}` };
        lists = new Map(lists).set(id, appendPage(lists.get(id)!, page, compare));
        const shown = keys(mergeHives(lists, compare).rows);
        assert.deepEqual(shown, reference.slice(0, shown.length), `${order} reverse=${reverse} step ${step}`);
      }
      const final = mergeHives(lists, compare);
      assert.deepEqual(keys(final.rows), reference);
      assert.equal(final.complete, true);
    }
  }
});
