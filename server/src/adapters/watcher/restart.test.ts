import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { applyEvent, reconcileEvents } from './apply-event.js';
import { ABSENT_REPOSITORY, readRepositoryState, type RepositoryState } from './repository-state.js';
import { RepositoryWatcher } from './repository-watcher.js';
import { simulateInit, simulateRead, simulateWrite } from './simulate.js';
import type { RepoWatchEvent } from './watch-event.js';
import { settle, silentLogger, tempDir } from './watcher-test-kit.js';

const REPOSITORIES = 50;
const SESSIONS = 1000;
const CONCURRENCY = 8;

/** Deterministic randomness (mulberry32), so a failure can be replayed from the printed seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let root = '';
after(() => rm(root, { recursive: true, force: true }));

test('1,000 sessions over 50 repositories with random watcher restarts end in the on-disk state', async (t) => {
  const seed = Date.now() % 100_000;
  t.diagnostic(`seed ${seed}`);
  const rand = random(seed);
  root = await tempDir('restart');
  const repos = Array.from({ length: REPOSITORIES }, (_, i) => ({
    repoUser: `u${String(i).padStart(7, '0')}`,
    repoName: `repo-${i}`,
    path: join(root, `u${String(i).padStart(7, '0')}`, `repo-${i}`),
  }));
  const book = new Map(repos.map((r) => [r.path, ABSENT_REPOSITORY as RepositoryState]));
  const applied = new Map(repos.map((r) => [r.path, [] as RepoWatchEvent[]]));
  const writes = new Map(repos.map((r) => [r.path, 1]));
  const counts = { live: 0, reconciled: 0 };
  const apply = (event: RepoWatchEvent, source: keyof typeof counts = 'live'): void => {
    const state = book.get(event.path);
    if (!state) return;
    const next = applyEvent(state, event);
    if (next === state) return;
    book.set(event.path, next);
    applied.get(event.path)?.push(event);
    counts[source]++;
  };

  /** What the lead's service does: start, reconcile every repository, then apply the live events. */
  const startWatcher = async (): Promise<RepositoryWatcher> => {
    const watcher = new RepositoryWatcher({ repoPath: root, logger: silentLogger });
    let buffer: RepoWatchEvent[] | undefined = [];
    watcher.on((event) => (buffer ? buffer.push(event) : apply(event)));
    await watcher.start();
    for (const repo of repos) {
      const current = await readRepositoryState(repo.path);
      const previous = book.get(repo.path) ?? ABSENT_REPOSITORY;
      for (const event of reconcileEvents(previous, current, repo, new Date())) apply(event, 'reconciled');
    }
    const live = buffer;
    buffer = undefined;
    for (const event of live) apply(event);
    return watcher;
  };

  await Promise.all(repos.slice(0, REPOSITORIES / 2).map((r) => simulateInit(root, r.repoUser, r.repoName)));
  let watcher = await startWatcher();
  let done = false;
  const restarts = (async () => {
    let count = 0;
    while (!done) {
      await settle(20 + rand() * 150);
      await watcher.stop();
      await settle(rand() * 40);
      watcher = await startWatcher();
      count++;
    }
    return count;
  })();

  const chains = new Map<string, Promise<void>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < SESSIONS) {
      const n = next++;
      const repo = repos[Math.floor(rand() * REPOSITORIES)] ?? repos[0];
      if (!repo) return;
      const kind = n < REPOSITORIES / 2 ? 'init' : rand() < 0.75 ? 'write' : 'read';
      const run = async (): Promise<void> => {
        const state = await readRepositoryState(repo.path);
        if (!state.initialized) await simulateInit(root, repo.repoUser, repo.repoName);
        else if (kind === 'read') await simulateRead(repo.path, { holdMs: rand() * 10 });
        else await simulateWrite(repo.path, { holdMs: 5 + rand() * 10 });
        if (kind !== 'read' || !state.initialized) writes.set(repo.path, (writes.get(repo.path) ?? 0) + 1);
      };
      const chain = (chains.get(repo.path) ?? Promise.resolve()).then(run);
      chains.set(repo.path, chain);
      await chain;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  done = true;
  t.diagnostic(`watcher restarts: ${await restarts}`);
  await settle(500);
  await watcher.stop();
  t.diagnostic(`events applied: ${counts.live} live, ${counts.reconciled} from reconciliation`);
  assert.ok(counts.live > counts.reconciled, 'most events come from the live watcher');

  for (const repo of repos) {
    const disk = await readRepositoryState(repo.path);
    const believed = book.get(repo.path) ?? ABSENT_REPOSITORY;
    const { lastAccessAt: _diskAccess, ...diskRest } = disk;
    const { lastAccessAt: _bookAccess, ...bookRest } = believed;
    assert.deepEqual(bookRest, diskRest, `${repo.path} (seed ${seed})`);
    const events = applied.get(repo.path) ?? [];
    const sessionEvents = events.filter((e) => e.type === 'OPENED' || e.type === 'CLOSED').map((e) => e.type);
    sessionEvents.forEach((type, i) => assert.equal(type, i % 2 === 0 ? 'OPENED' : 'CLOSED', repo.path));
    const updates = events.filter((e) => e.type === 'UPDATED');
    assert.ok(updates.length <= (writes.get(repo.path) ?? 0), `${repo.path}: more UPDATED than commits`);
    assert.equal(events.filter((e) => e.type === 'CREATED').length, disk.initialized ? 1 : 0);
  }
});
