/**
 * End-to-end event benchmarks against a real in-process hive (SQLite), its RepositoryMonitor and
 * graphql-ws clients in a worker thread: `npx tsc -b && npx node bench/dist/events-hive.js [latency|ready|fanout]`.
 * - latency: 1,000 repositories watched, 500 write sessions; lock.exclusive rename -> OPENED message
 *   at a graphql-ws client. Goal: median <= 20 ms, p99 <= 100 ms.
 * - ready: 10,000 repositories; monitor start (watcher scan + reconciliation), inotify watches, RSS of
 *   the whole hive process. Goal: <= 20 s, <= 300 MB.
 * - fanout: 500 subscribed graphql-ws clients; event recorded -> every client has it. Goal: p99 <= 250 ms.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import 'reflect-metadata';
import type { Em } from '../../server/dist/db/orm.js';
import { RepositoryEventType } from '../../server/dist/modules/event/repository-event-type.js';
import { Repository } from '../../server/dist/modules/repository/repository.entity.js';
import { startTestHive, type TestHive } from '../../server/dist/test-support/hive.js';
import { inotifyWatches, percentile, round, seedRepositories } from './events-hive-kit.js';
import { runWorker, type WorkerJob } from './events-hive-worker.js';

async function hiveWith(count: number, watch: boolean): Promise<{ hive: TestHive; readyMs: number }> {
  const hive = await startTestHive({ env: { BORGHIVE_WATCH: 'false', BORGHIVE_LOG_LEVEL: 'warn' } });
  await seedRepositories(hive, count);
  if (!watch) return { hive, readyMs: 0 };
  const { InProcessSink } = await import('../../server/dist/modules/monitor/in-process-sink.js');
  const { RepositoryMonitor } = await import('../../server/dist/modules/monitor/repository-monitor.js');
  const monitor = new RepositoryMonitor({
    repoPath: hive.config.repoPath,
    sink: new InProcessSink(hive.services.orm, hive.services.reports),
    logger: hive.services.logger,
  });
  const watchesBefore = await inotifyWatches();
  const started = performance.now();
  await monitor.start();
  const readyMs = performance.now() - started;
  await monitor.settled();
  const stop = hive.dispose.bind(hive);
  hive.dispose = async () => {
    await monitor.stop();
    await stop();
  };
  console.log({ inotifyWatches: (await inotifyWatches()) - watchesBefore });
  return { hive, readyMs };
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

async function latency(): Promise<void> {
  const { hive } = await hiveWith(1000, true);
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
    });
    console.log(
      'lock.exclusive -> OPENED at a graphql-ws client (goal median <= 20, p99 <= 100 ms):',
      summary(delays),
    );
  } finally {
    await hive.dispose();
  }
}

async function ready(): Promise<void> {
  const { hive, readyMs } = await hiveWith(10_000, true);
  try {
    global.gc?.();
    console.log('10,000 repositories (goal <= 20 s, <= 300 MB):', {
      readyMs: Math.round(readyMs),
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
  if (which === 'ready' || which === 'all') await ready();
  if (which === 'fanout' || which === 'all') await fanout();
  process.exit(0);
} else {
  const delays = await runWorker(workerData as WorkerJob, parentPort!);
  parentPort?.postMessage({ type: 'done', delays });
}
