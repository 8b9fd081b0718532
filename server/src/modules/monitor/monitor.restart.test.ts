import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { readRepositoryState } from '../../adapters/watcher/repository-state.js';
import { simulateInit, simulateRead, simulateWrite } from '../../adapters/watcher/simulate.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { InProcessSink } from './in-process-sink.js';
import {
  createRepository,
  duplicates,
  fetchRepository,
  watchTypes,
  type ApiRepository,
} from './monitor-test-kit.js';
import { RepositoryMonitor } from './repository-monitor.js';

const REPOSITORIES = 20;
const SESSIONS = 1000;
const CONCURRENCY = 6;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Deterministic randomness (mulberry32): a failure replays from the printed seed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

let hive: TestHive;
before(async () => {
  hive = await startTestHive({ env: { BORGHIVE_WATCH: 'false' } });
});
after(() => hive?.dispose());

test('1,000 sessions with the monitor stopped and restarted at random: the database ends as the disk is', async (t) => {
  const seed = Date.now() % 100_000;
  t.diagnostic(`seed ${seed}`);
  const rand = random(seed);
  const owner = await hive.newUser('owner');
  const repos: ApiRepository[] = [];
  for (let i = 0; i < REPOSITORIES; i++) repos.push(await createRepository(hive, owner.token, `r${i}`));
  const root = hive.config.repoPath;
  const dirOf = (r: { repoUser: string; name: string }): string => join(root, r.repoUser, r.name);
  // a repository the database does not know: ignored, never an error
  await simulateInit(root, 'zzstray0', 'unknown');

  const sink = new InProcessSink(hive.services.orm, hive.services.reports);
  const logger = pino({ level: 'silent' });
  const newMonitor = (): RepositoryMonitor =>
    new RepositoryMonitor({ repoPath: root, sink, logger, usageDelayMs: 20, relookupMs: 200 });
  await Promise.all(repos.slice(0, REPOSITORIES / 2).map((r) => simulateInit(root, r.repoUser, r.name)));
  let monitor = newMonitor();
  await monitor.start();
  let done = false;
  let restarts = 0;
  const restarting = (async () => {
    while (!done) {
      await sleep(50 + rand() * 300);
      await monitor.stop();
      await sleep(rand() * 100);
      monitor = newMonitor();
      await monitor.start();
      restarts++;
    }
  })();

  const commits = new Map(repos.map((r) => [r.id, 0]));
  const chains = new Map<string, Promise<void>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < SESSIONS) {
      next++;
      const repo = repos[Math.floor(rand() * REPOSITORIES)]!;
      const read = rand() < 0.25;
      const session = async (): Promise<void> => {
        const state = await readRepositoryState(dirOf(repo));
        if (!state.initialized) await simulateInit(root, repo.repoUser, repo.name);
        else if (read) return simulateRead(dirOf(repo), { holdMs: rand() * 10 });
        else await simulateWrite(dirOf(repo), { holdMs: 2 + rand() * 8 });
        commits.set(repo.id, (commits.get(repo.id) ?? 0) + 1);
      };
      const chain = (chains.get(repo.id) ?? Promise.resolve()).then(session);
      chains.set(repo.id, chain);
      await chain;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  done = true;
  await restarting;
  await sleep(300);
  await monitor.settled();
  await monitor.stop();
  t.diagnostic(`monitor restarts: ${restarts}`);

  let recorded = 0;
  for (const r of repos) {
    const disk = await readRepositoryState(dirOf(r));
    const db = await fetchRepository(hive, owner.token, r.id);
    recorded += db.events.length;
    assert.equal(db.isOpen, disk.isOpen, `${r.name} isOpen (seed ${seed})`);
    assert.equal(
      db.lastUpdatedAt,
      disk.lastUpdatedAt?.toISOString() ?? null,
      `${r.name} lastUpdatedAt (seed ${seed})`,
    );
    assert.deepEqual(duplicates(db), [], `${r.name}: an event recorded twice (seed ${seed})`);
    const types = watchTypes(db);
    assert.equal(types.filter((x) => x === 'CREATED').length, disk.initialized ? 1 : 0, `${r.name} CREATED`);
    const sessions = types.filter((x) => x === 'OPENED' || x === 'CLOSED');
    sessions.forEach((x, i) => assert.equal(x, i % 2 === 0 ? 'OPENED' : 'CLOSED', `${r.name} session ${i}`));
    assert.ok(
      types.filter((x) => x === 'UPDATED').length <= (commits.get(r.id) ?? 0),
      `${r.name}: more UPDATED than commits`,
    );
    if (disk.initialized) assert.ok((db.usageBytes ?? 0) > 0, `${r.name} usage measured`);
  }
  t.diagnostic(`events recorded: ${recorded}`);
});
