import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeHive } from './fake-hive.js';
import { rowComparator } from './order.js';
import { OverviewStore, type OverviewOptions } from './overview-store.js';
import { rowKey } from './row.js';
import { randomRows, repository } from './test-rows.js';
import { defaultView, type OverviewView } from './view.js';

/** Lets every settled promise run its continuation (the fake hives answer at once unless held). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fakeTimers(): { options: OverviewOptions; fire: () => void } {
  const due: (() => void)[] = [];
  return {
    options: {
      firstPageSize: 10,
      pageSize: 10,
      maxPageSize: 500,
      totalsDelayMs: 250,
      schedule: (run) => {
        due.push(run);
        return () => due.splice(due.indexOf(run), 1);
      },
      onError: (_hive, error) => String(error),
    },
    fire: () => due.splice(0).forEach((run) => run()),
  };
}

function twoHives(): FakeHive[] {
  return [
    new FakeHive(
      'a',
      randomRows('a', 35, 11).map((r) => r.repository),
    ),
    new FakeHive(
      'b',
      randomRows('b', 28, 12).map((r) => r.repository),
    ),
  ];
}

function reference(hives: FakeHive[], view: OverviewView): string[] {
  return hives
    .flatMap(({ hive, repositories }) =>
      repositories.map((r) => ({ hiveId: hive.id, hiveName: hive.name, repository: r })),
    )
    .sort(rowComparator(view.order, view.reverse))
    .map(rowKey);
}

/** Two fake hives and a started store whose first page of hive a waits until release(). */
async function startedWithHeldPage() {
  const hives = twoHives();
  const { options } = fakeTimers();
  const store = new OverviewStore(hives, defaultView, options);
  const release = hives[0]!.hold();
  store.start();
  await settle();
  return { hives, store, release };
}

test('loads pages of the hive that holds the merge back until the table has what it needs', async () => {
  const hives = twoHives();
  const { options } = fakeTimers();
  const store = new OverviewStore(hives, defaultView, options);
  store.start();
  await settle();
  const first = store.getSnapshot().merged.rows.map(rowKey);
  assert.deepEqual(first, reference(hives, defaultView).slice(0, first.length));
  store.want(25);
  await settle();
  const more = store.getSnapshot().merged.rows.map(rowKey);
  assert.ok(more.length >= 25, `only ${more.length} rows`);
  assert.deepEqual(more, reference(hives, defaultView).slice(0, more.length));
  store.want(1000);
  for (let i = 0; i < 10; i += 1) await settle();
  assert.deepEqual(store.getSnapshot().merged.rows.map(rowKey), reference(hives, defaultView));
  assert.equal(store.getSnapshot().merged.complete, true);
  assert.equal(hives[0]!.pageRequests + hives[1]!.pageRequests, 4 + 3);
});

test('live messages insert, move and delete rows without a page request; the summary follows once', async () => {
  const hives = twoHives();
  const { options, fire } = fakeTimers();
  const view = { ...defaultView, order: 'NAME' as const };
  const store = new OverviewStore(hives, view, options);
  store.start();
  store.want(1000);
  for (let i = 0; i < 10; i += 1) await settle();
  const requests = hives[0]!.pageRequests;
  const added = repository({ id: '900', name: 'aaa', state: 'FAILED' });
  hives[0]!.repositories.push(added);
  store.changed('a', added);
  const moved = { ...hives[1]!.repositories[0]!, name: 'zzz' };
  hives[1]!.repositories[0] = moved;
  store.changed('b', moved);
  const gone = hives[0]!.repositories.shift()!;
  store.removed('a', gone.id);
  assert.deepEqual(store.getSnapshot().merged.rows.map(rowKey), reference(hives, view));
  assert.equal(store.getSnapshot().merged.rows[0]?.repository.name, 'aaa');
  assert.equal(hives[0]!.pageRequests, requests);
  const totalsBefore = hives[0]!.totalsRequests;
  fire();
  await settle();
  assert.equal(hives[0]!.totalsRequests, totalsBefore + 1);
  assert.equal(store.getSnapshot().totals.get('a')?.total, 35);
});

test('a message that arrives while a page is in flight is applied after the page', async () => {
  const { hives, store, release } = await startedWithHeldPage();
  const renamed = {
    ...hives[0]!.repositories[3]!,
    name: 'renamed',
    health: { state: 'FAILED' as const, reason: 'x', since: null },
  };
  store.changed('a', renamed);
  release();
  await settle();
  const rows = store.getSnapshot().merged.rows;
  assert.equal(
    rows.filter((r) => r.hiveId === 'a' && r.repository.id === renamed.id)[0]?.repository.name,
    'renamed',
  );
});

test('a changed repository that no longer matches the filter leaves the view', async () => {
  const hives = twoHives();
  const { options } = fakeTimers();
  const view = { ...defaultView, states: ['FAILED' as const] };
  const store = new OverviewStore(hives, view, options);
  store.start();
  store.want(1000);
  for (let i = 0; i < 10; i += 1) await settle();
  const failed = store.getSnapshot().merged.rows[0]!;
  store.changed(failed.hiveId, { ...failed.repository, health: { state: 'OK', reason: 'ok', since: null } });
  assert.ok(!store.getSnapshot().merged.rows.some((r) => rowKey(r) === rowKey(failed)));
  assert.ok(store.getSnapshot().merged.rows.every((r) => r.repository.health.state === 'FAILED'));
});

test('after an outage, catchUp reads the hive’s loaded rows and summary again, once, keeping the window', async () => {
  const hives = twoHives();
  const { options } = fakeTimers();
  const store = new OverviewStore(hives, defaultView, options);
  store.start();
  await settle();
  store.want(30);
  await settle();
  const loaded = store.getSnapshot().lists.get('a')!.rows.length;
  assert.ok(loaded > 10, `hive a has more than a first page loaded (${loaded})`);
  // while the socket was down: one repository changed, one was added, one removed (no message came)
  const [changed, removed] = [hives[0]!.repositories[0]!, hives[0]!.repositories[1]!];
  const added = repository({ id: 'a-added', name: 'a-added-meanwhile', state: 'FAILED' });
  hives[0]!.repositories = [
    { ...changed, name: 'a-renamed-meanwhile' },
    ...hives[0]!.repositories.slice(2),
    added,
  ];
  const [pagesA, pagesB, totalsA] = [
    hives[0]!.pageRequests,
    hives[1]!.pageRequests,
    hives[0]!.totalsRequests,
  ];
  store.catchUp('a');
  await settle();
  assert.equal(hives[0]!.pageRequests, pagesA + 1, 'one page request for the whole loaded window');
  assert.equal(hives[1]!.pageRequests, pagesB, 'the other hive is not asked');
  assert.equal(hives[0]!.totalsRequests, totalsA + 1, 'and one summary');
  const rows = store.getSnapshot().lists.get('a')!.rows;
  assert.ok(rows.length >= loaded - 1, `the window stays (${rows.length} of ${loaded})`);
  const names = rows.map((r) => r.repository.name);
  assert.ok(names.includes('a-renamed-meanwhile') && !names.includes(changed.name));
  assert.ok(!names.includes(removed.name));
  assert.deepEqual(
    store.getSnapshot().merged.rows.map(rowKey),
    reference(hives, defaultView).slice(0, store.getSnapshot().merged.rows.length),
  );
  assert.equal(store.getSnapshot().totals.get('a')?.total, hives[0]!.repositories.length);
});

test('a catchUp asked for while a page is in flight runs once the page is in', async () => {
  const { hives, store, release } = await startedWithHeldPage();
  hives[0]!.repositories = [
    ...hives[0]!.repositories,
    repository({ id: 'a-added', name: 'a-added-meanwhile', state: 'FAILED' }),
  ];
  store.catchUp('a');
  await settle();
  assert.equal(hives[0]!.pageRequests, 1, 'no second request while the first is in flight');
  release();
  await settle();
  await settle();
  assert.equal(hives[0]!.pageRequests, 2);
  assert.deepEqual(
    store.getSnapshot().merged.rows.map(rowKey),
    reference(hives, defaultView).slice(0, store.getSnapshot().merged.rows.length),
  );
});
