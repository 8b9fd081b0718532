/**
 * End-to-end event benchmarks against a real in-process hive (SQLite), its RepositoryMonitor and
 * graphql-ws clients in a worker thread: `npx tsc -b && npx node bench/dist/events-hive.js [latency|ready|ready-stale|fanout]`.
 * - latency: 1,000 repositories watched, 500 write sessions; lock.exclusive rename -> OPENED message
 *   at a graphql-ws client. Goal: median <= 20 ms, p99 <= 100 ms.
 * - ready: 10,000 repositories whose rows match the disk; monitor start (watcher scan, then
 *   reconciliation), inotify watches, RSS of the whole hive process. Goal: <= 20 s, <= 300 MB.
 *   ready-stale: the same with rows never watched, plus the time until every finding is recorded.
 * - fanout: 500 subscribed graphql-ws clients; event recorded -> every client has it. Goal: p99 <= 250 ms.
 * - borg2-latency: 1,000 borg 2 repositories watched by the real monitor (its Borg2Watcher), 500 sessions;
 *   a lock object renamed into locks/ -> OPENED at a graphql-ws client. Goal: median <= 20 ms, p99 <= 100 ms.
 * - borg2-ready [repositories=10000]: borg 2 repositories whose rows match the disk; monitor start and the
 *   inotify watches of the whole monitor (borg 1 watcher + borg 2 watcher). Goal: <= 2 per repository.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import 'reflect-metadata';
import {
  type Em,
  RepositoryEventType,
  Repository,
  startTestHive,
  type TestHive,
} from '@borg-hive/server/testing';
import {
  inotifyWatches,
  percentile,
  round,
  seedBorg2Repositories,
  seedRepositories,
} from './events-hive-kit.js';
import { runWorker, type WorkerJob } from './events-hive-worker.js';

type Startup = { scanMs: number; reconcileMs: number; readyMs: number; recordedMs: number };

async function hiveWith(
  count: number,
  watch: boolean,
  matchDisk = true,
  borg2 = false,
): Promise<{ hive: TestHive; startup: Startup; watches: number }> {
  const hive = await startTestHive({
    // the fan-out opens 500 sockets as admin (one subscription each)
    env: { BORGHIVE_WATCH: 'false', BORGHIVE_LOG_LEVEL: 'warn', BORGHIVE_WS_MAX_SOCKETS_PER_USER: '1000' },
  });
  if (borg2) await seedBorg2Repositories(hive, count);
  else await seedRepositories(hive, count, matchDisk);
  const startup = { scanMs: 0, reconcileMs: 0, readyMs: 0, recordedMs: 0 };
  if (!watch) return { hive, startup, watches: 0 };
  const { InProcessSink, RepositoryMonitor } = await import('@borg-hive/server/testing');
  const monitor = new RepositoryMonitor({
    repoPath: hive.config.repoPath,
    sink: new InProcessSink(hive.services.orm, hive.services.reports),
    logger: hive.services.logger,
  });
  global.gc?.();
  const before = process.memoryUsage();
  const watchesBefore = await inotifyWatches();
  const started = performance.now();
  await monitor.start();
  startup.readyMs = performance.now() - started;
  await monitor.flushed();
  startup.recordedMs = performance.now() - started;
  Object.assign(startup, monitor.startup);
  await monitor.settled();
  const stop = hive.dispose.bind(hive);
  hive.dispose = async () => {
    await monitor.stop();
    await stop();
  };
  global.gc?.();
  const after = process.memoryUsage();
  const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
  const watches = (await inotifyWatches()) - watchesBefore;
  console.log({
    inotifyWatches: watches,
    beforeMonitorMB: { rss: mb(before.rss), heapUsed: mb(before.heapUsed) },
    withMonitorMB: { rss: mb(after.rss), heapUsed: mb(after.heapUsed), external: mb(after.external) },
  });
  return { hive, startup, watches };
}

function inWorker(job: WorkerJob): Promise<number[]> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  return new Promise((resolve, reject) => {
    worker.on(
      'message',
      (m: { type: string; delays?: number[] }) => m.type === 'done' && resolve(m.delays ?? []),
    );
    worker.once('error', reject);
  });
}

function summary(delays: number[]): Record<string, number> {
  delays.sort((a, b) => a - b);
  return {
    samples: delays.length,
    medianMs: round(percentile(delays, 50)),
    p99Ms: round(percentile(delays, 99)),
    maxMs: round(delays.at(-1) ?? NaN),
  };
}

async function latency(borg2 = false): Promise<void> {
  const { hive } = await hiveWith(1000, true, true, borg2);
  try {
    const em = hive.services.orm.em.fork() as Em;
    const repos = (await em.find(Repository, {}, { fields: ['repoUser', 'name'] })).map((r) => ({
      id: String(r.id),
      path: `${hive.config.repoPath}/${r.repoUser}/${r.name}`,
    }));
    const delays = await inWorker({
      kind: 'latency',
      url: hive.url,
      token: hive.adminToken,
      repos,
      sessions: 500,
      borg2,
    });
    console.log(
      `${borg2 ? 'borg 2 lock object' : 'lock.exclusive'} -> OPENED at a graphql-ws client (goal median <= 20, p99 <= 100 ms):`,
      summary(delays),
    );
  } finally {
    await hive.dispose();
  }
}

/**
 * `ready`: the database agrees with the disk (an ordinary restart: nothing to record);
 * `ready-stale`: every repository looks never watched (CREATED, UPDATED, ACCESSED each to record).
 */
async function ready(matchDisk: boolean): Promise<void> {
  const { hive, startup } = await hiveWith(10_000, true, matchDisk);
  try {
    global.gc?.();
    const ms = Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, Math.round(v)]));
    console.log(
      `10,000 repositories, ${matchDisk ? 'database = disk' : 'stale database'} (goal <= 20 s, <= 300 MB):`,
      {
        ...ms,
        rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
      },
    );
  } finally {
    await hive.dispose();
  }
}

/** The whole monitor's watches for borg 2 repositories (the borg 1 watcher and the borg 2 watcher). */
async function borg2Ready(count: number): Promise<void> {
  const { hive, startup, watches } = await hiveWith(count, true, true, true);
  try {
    const ms = Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, Math.round(v)]));
    console.log(`${count} borg 2 repositories (goal <= 2 watches per repository):`, {
      ...ms,
      inotifyWatches: watches,
      watchesPerRepository: round(watches / count),
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    });
  } finally {
    await hive.dispose();
  }
}

async function fanout(): Promise<void> {
  const { hive } = await hiveWith(1, false);
  try {
    const em = hive.services.orm.em.fork() as Em;
    const repo = await em.findOneOrFail(Repository, { id: { $gt: 0 } }, { populate: ['groups'] });
    const worker = new Worker(new URL(import.meta.url), {
      workerData: {
        kind: 'fanout',
        url: hive.url,
        token: hive.adminToken,
        clients: 500,
        rounds: 20,
      } satisfies WorkerJob,
    });
    const delays = await new Promise<number[]>((resolve, reject) => {
      worker.on('message', (m: { type: string; delays?: number[] }) => {
        if (m.type === 'record') {
          const t0 = process.hrtime.bigint();
          void hive.services.events
            .record(em, repo, RepositoryEventType.ACCESSED, 'fan-out')
            .then(() => worker.postMessage({ t0 }));
        } else if (m.type === 'done') resolve(m.delays ?? []);
      });
      worker.once('error', reject);
    });
    console.log(
      'fan-out to 500 graphql-ws clients, per round the slowest client (goal p99 <= 250 ms):',
      summary(delays),
    );
  } finally {
    await hive.dispose();
  }
}

if (isMainThread) {
  const which = process.argv[2] ?? 'all';
  if (which === 'latency' || which === 'all') await latency();
  if (which === 'ready' || which === 'all') await ready(true);
  if (which === 'ready-stale' || which === 'all') await ready(false);
  if (which === 'fanout' || which === 'all') await fanout();
  if (which === 'borg2-latency') await latency(true);
  if (which === 'borg2-ready') await borg2Ready(Number(process.argv[3] ?? 10_000));
  process.exit(0);
} else {
  const delays = await runWorker(workerData as WorkerJob, parentPort!);
  parentPort?.postMessage({ type: 'done', delays });
}
