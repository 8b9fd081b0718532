import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RepositoryState } from '../../adapters/watcher/repository-state.js';
import type { RepoWatchEvent, RepoWatchEventType } from '../../adapters/watcher/watch-event.js';
import { FakeTime } from '../../test-support/fakes/fake-time.js';
import { FakeWatcher } from '../../test-support/fakes/fake-watcher.js';
import { MemoryRepositoryDisk } from '../../test-support/fakes/memory-repository-disk.js';
import { RecordingSink } from '../../test-support/fakes/recording-sink.js';
import { recordingLogger } from '../../test-support/fakes/recording-logger.js';
import type { KnownRepository } from './event-sink.js';
import { RepositoryMonitor } from './repository-monitor.js';

const ROOT = '/srv/repos';
const T0 = new Date('2026-01-01T00:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const pathOf = (repoName: string) => `${ROOT}/u1234567/${repoName}`;

const idle = (overrides: Partial<RepositoryState> = {}): RepositoryState => ({
  exists: true,
  initialized: true,
  isOpen: false,
  lastUpdatedAt: T0,
  lastAccessAt: T0,
  ...overrides,
});
const known = (repoName: string, state = idle()): KnownRepository => ({
  repoUser: 'u1234567',
  repoName,
  state,
});
const event = (repoName: string, type: RepoWatchEventType, at: Date): RepoWatchEvent => ({
  repoUser: 'u1234567',
  repoName,
  path: pathOf(repoName),
  type,
  at,
});

/** A monitor over fakes; the database (sink) and the disk agree on every repository in `repos`. */
function setUp(...repos: KnownRepository[]) {
  return setUpWith({}, ...repos);
}

function setUpWith(opts: { batchMs?: number }, ...repos: KnownRepository[]) {
  const time = new FakeTime(later(60_000));
  const watcher = new FakeWatcher();
  const disk = new MemoryRepositoryDisk();
  const sink = new RecordingSink();
  sink.known = repos;
  for (const r of repos) disk.states.set(pathOf(r.repoName), r.state);
  const { logger, lines } = recordingLogger();
  const monitor = new RepositoryMonitor({
    repoPath: ROOT,
    sink,
    logger,
    usageDelayMs: 1000,
    relookupMs: 1000,
    ...opts,
    ports: { ensureRoot: () => Promise.resolve(), watch: () => watcher, disk, clock: time, timers: time },
  });
  const reported = () => sink.reports.map((r) => `${r.repoName} ${r.type} ${r.at.getTime() - T0.getTime()}`);
  return { time, watcher, disk, sink, lines, monitor, reported };
}

it('at start, reports what changed on disk while nobody watched', async () => {
  const { disk, monitor, reported } = setUp(known('a'), known('b'), known('gone'));
  disk.states.set(pathOf('a'), idle({ lastUpdatedAt: later(5000) }));
  disk.states.set(pathOf('b'), idle({ isOpen: true, lastAccessAt: later(7000) }));
  disk.states.delete(pathOf('gone'));
  await monitor.start();
  await monitor.flushed();
  assert.deepEqual(reported().sort(), ['a UPDATED 5000', 'b OPENED 7000', 'gone DELETED 60000']);
  await monitor.stop();
});

it('reports a live event once: a duplicate changes nothing and is not reported', async () => {
  const { watcher, monitor, reported } = setUp(known('a'));
  await monitor.start();
  watcher.emit(event('a', 'OPENED', later(61_000)));
  watcher.emit(event('a', 'OPENED', later(61_500)));
  watcher.emit(event('a', 'UPDATED', later(62_000)));
  watcher.emit(event('a', 'UPDATED', later(62_000)));
  await monitor.flushed();
  assert.deepEqual(reported(), ['a OPENED 61000', 'a UPDATED 62000']);
  await monitor.stop();
});

it('an event seen while the start-up reconciliation reads the disk waits, and its duplicate falls out', async () => {
  const { watcher, disk, monitor, reported } = setUp(known('a'));
  const onDisk = idle({ lastUpdatedAt: later(5000) });
  disk.state = (dir) => {
    watcher.emit(event('a', 'UPDATED', later(5000))); // the same commit, seen live during the read
    return Promise.resolve(dir === pathOf('a') ? onDisk : idle());
  };
  await monitor.start();
  await monitor.flushed();
  assert.deepEqual(reported(), ['a UPDATED 5000']);
  await monitor.stop();
});

it('measures usage once after a burst of write sessions has been quiet for usageDelayMs', async () => {
  const { time, watcher, disk, monitor, sink } = setUp(known('a'));
  disk.usages.set(pathOf('a'), 4096);
  await monitor.start();
  for (let i = 0; i < 3; i++) {
    watcher.emit(event('a', 'OPENED', later(61_000 + i * 100)));
    watcher.emit(event('a', 'CLOSED', later(61_050 + i * 100)));
    await time.advance(100);
  }
  await time.advance(899);
  assert.deepEqual(disk.walked, [], 'the last session closed 900 ms ago');
  await time.advance(1);
  await monitor.flushed();
  assert.deepEqual(disk.walked, [pathOf('a')]);
  const measured = sink.reports.filter((r) => r.type === 'MEASURED');
  assert.deepEqual(
    measured.map((r) => [r.repoName, r.usageBytes, r.at]),
    [['a', 4096, time.now()]],
  );
  await monitor.stop();
});

it('when the hive does not take a batch, starts over from its database state 5 s later', async () => {
  const { time, watcher, disk, sink, lines, monitor, reported } = setUp(known('a'));
  await monitor.start();
  sink.failNext = 1;
  disk.states.set(pathOf('a'), idle({ isOpen: true, lastAccessAt: later(61_000) }));
  watcher.emit(event('a', 'OPENED', later(61_000)));
  await monitor.flushed();
  assert.deepEqual(reported(), []);
  assert.ok(lines.some((l) => l.msg === 'reporting repository events failed'));
  const calls = sink.knownCalls;
  await time.advance(4999);
  assert.equal(sink.knownCalls, calls, 'not before 5 s');
  await time.advance(1);
  await monitor.flushed();
  assert.equal(sink.knownCalls, calls + 1);
  assert.deepEqual(reported(), ['a OPENED 61000'], 'the lost report, found again on disk');
  await monitor.stop();
});

it('an event of a repository created after start waits for the next look-up of the known ones', async () => {
  const { time, watcher, disk, sink, lines, monitor, reported } = setUp(known('a'));
  await monitor.start();
  const created = idle({ lastUpdatedAt: null, lastAccessAt: later(61_000) });
  disk.states.set(pathOf('new'), created);
  sink.known = [
    ...sink.known,
    known('new', idle({ exists: false, initialized: false, lastUpdatedAt: null })),
  ];
  watcher.emit(event('new', 'CREATED', later(61_000)));
  watcher.emit(event('stray', 'CREATED', later(61_000)));
  watcher.emit(event('stray', 'UPDATED', later(61_001)));
  await time.advance(1000);
  await monitor.flushed();
  assert.deepEqual(reported(), ['new CREATED 61000', 'new MEASURED 61000'], 'its usage measured too');
  assert.equal(
    lines.filter((l) => l.msg === 'a repository the hive does not know: ignored').length,
    1,
    'a stray directory is logged once',
  );
  await monitor.stop();
});

it('with batchMs, gathers the reports of that long into one batch; flushed() sends them at once', async () => {
  const { time, watcher, sink, monitor, reported } = setUpWith({ batchMs: 50 }, known('a'), known('b'));
  await monitor.start();
  await monitor.flushed();
  const before = sink.batches.length;
  watcher.emit(event('a', 'OPENED', later(61_000)));
  watcher.emit(event('b', 'OPENED', later(61_010)));
  await time.advance(20);
  assert.equal(sink.batches.length, before, 'nothing is sent before batchMs has passed');
  watcher.emit(event('a', 'UPDATED', later(61_020)));
  await time.advance(40);
  assert.deepEqual(sink.batches.slice(before), [3]);
  // a flushed() does not wait for the window
  watcher.emit(event('b', 'UPDATED', later(61_100)));
  await monitor.flushed();
  assert.deepEqual(sink.batches.slice(before), [3, 1]);
  assert.deepEqual(reported().slice(-4), [
    'a OPENED 61000',
    'b OPENED 61010',
    'a UPDATED 61020',
    'b UPDATED 61100',
  ]);
  await monitor.stop();
});
