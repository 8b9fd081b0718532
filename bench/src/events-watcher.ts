/**
 * Repository watcher benchmark: `npx tsc -b && npx node bench/dist/events-watcher.js`.
 * 1. 10,000 repositories on disk: time to `ready`, inotify watches, resident memory.
 * 2. 1,000 repositories, 500 simulated write sessions run in a worker thread (like a separate borg
 *    process): latency from the lock.exclusive rename to the OPENED event leaving the watcher.
 * Goals: ready <= 20 s, <= 300 MB; latency median <= 20 ms, p99 <= 100 ms.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { RepositoryWatcher, simulateWrite } from '@borg-hive/server/testing';

type Session = { path: string; lockedAt: bigint };
const logger = pino({ level: 'warn' });
const user = (i: number): string => `b${String(i).padStart(7, '0')}`;
const repoDir = (root: string, i: number): string => join(root, user(i), `repo${i}`);

/** What `borg init` leaves, without running borg 10,000 times. */
async function createRepositories(root: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, (_, k) => repoDir(root, start + k));
    await Promise.all(
      batch.map(async (dir) => {
        await mkdir(join(dir, 'data', '0'), { recursive: true });
        await Promise.all(
          ['README', 'config', 'nonce', 'hints.1', 'integrity.1', 'index.1', 'data/0/1'].map((name) =>
            writeFile(join(dir, name), name),
          ),
        );
      }),
    );
  }
}

async function inotifyWatches(): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fdinfo')) {
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8').catch(() => '');
    count += info.match(/inotify wd:/g)?.length ?? 0;
  }
  return count;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function readiness(count: number): Promise<Record<string, number>> {
  const root = await mkdtemp(join(tmpdir(), 'bench-watch-'));
  try {
    await createRepositories(root, count);
    const watchesBefore = await inotifyWatches();
    const watcher = new RepositoryWatcher({ repoPath: root, logger });
    const started = performance.now();
    await watcher.start();
    const readyMs = performance.now() - started;
    const result = {
      repositories: count,
      readyMs: Math.round(readyMs),
      inotifyWatches: (await inotifyWatches()) - watchesBefore,
      watchedDirectories: watcher.watchedCount(),
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    };
    await watcher.stop();
    return result;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function latency(count: number, sessions: number): Promise<Record<string, number>> {
  const root = await mkdtemp(join(tmpdir(), 'bench-latency-'));
  try {
    await createRepositories(root, count);
    const watcher = new RepositoryWatcher({ repoPath: root, logger });
    const opened: Session[] = [];
    watcher.on(
      (e) => e.type === 'OPENED' && opened.push({ path: e.path, lockedAt: process.hrtime.bigint() }),
    );
    await watcher.start();
    const worker = new Worker(new URL(import.meta.url), { workerData: { root, count, sessions } });
    const locked = await new Promise<Session[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await watcher.stop();
    // each session's OPENED: the first one on its path not earlier than its lock
    const delays: number[] = [];
    let missed = 0;
    for (const session of locked) {
      const i = opened.findIndex((e) => e.path === session.path && e.lockedAt >= session.lockedAt);
      const seen = i >= 0 ? opened.splice(i, 1)[0] : undefined;
      if (seen) delays.push(Number(seen.lockedAt - session.lockedAt) / 1e6);
      else missed++;
    }
    delays.sort((a, b) => a - b);
    const round = (ms: number): number => Math.round(ms * 100) / 100;
    return {
      repositories: count,
      sessions: locked.length,
      missedOpened: missed,
      extraOpened: opened.length,
      medianMs: round(percentile(delays, 50)),
      p99Ms: round(percentile(delays, 99)),
      maxMs: round(delays.at(-1) ?? NaN),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Worker: one write session after another on random repositories, like separate borg clients. */
async function runSessions(data: { root: string; count: number; sessions: number }): Promise<Session[]> {
  const locked: Session[] = [];
  for (let i = 0; i < data.sessions; i++) {
    const path = repoDir(data.root, Math.floor(Math.random() * data.count));
    await simulateWrite(path, { onLocked: () => locked.push({ path, lockedAt: process.hrtime.bigint() }) });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return locked;
}

if (isMainThread) {
  const limits = await readFile('/proc/sys/fs/inotify/max_user_watches', 'utf8');
  console.log(`inotify max_user_watches: ${limits.trim()}`);
  if (!process.argv.includes('--latency-only')) {
    console.log('ready (goal <= 20 s, <= 300 MB):', await readiness(10_000));
  }
  console.log(
    'latency lock.exclusive -> OPENED (goal median <= 20 ms, p99 <= 100 ms):',
    await latency(1_000, 500),
  );
} else {
  parentPort?.postMessage(await runSessions(workerData as { root: string; count: number; sessions: number }));
}
