/**
 * bench/soak: the steady load of issue #12 on the hive as a child process (`npm start`'s way, watcher on):
 * 100 repositories, 200 `repositoryEvents` subscriptions on 20 sockets (admin, in a worker thread),
 * borg-1.2-shaped write sessions on disk (3 events each: OPENED, UPDATED, CLOSED) and GraphQL queries over
 * HTTP, for a while. Reports the requests that failed, the events every socket received against those the
 * hive recorded (every socket must receive every event), query p50/p99, and the hive's RSS after the
 * warm-up and at the end. Goals: nothing fails, nothing missed, query p99 <= 200 ms, RSS within 60 MB.
 * Usage: npx node bench/dist/soak.js [durationS=600] [sqlite|mariadb] [sessionsPerS=40] [queriesPerS=50]
 * (env BENCH_WS_MAX_QUEUED: the hive's BORGHIVE_WS_MAX_QUEUED; BENCH_HIVE_NODE_ARGS: node flags)
 */
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import 'reflect-metadata';
import { openOrm, RepositoryEvent, startTestHive } from '@borg-hive/server/testing';
import { percentile, round, seedRepositories } from './events-hive-kit.js';
import { cpuSecondsOf, memoryOf, spawnHive } from './hive-process.js';
import { queryLoop } from './query-loop.js';
import {
  soakClients,
  type FromSoakClients,
  type SoakClientsJob,
  type ToSoakClients,
} from './soak-clients.js';
import { writeSessions } from './soak-writers.js';

const REPOSITORIES = 100;
const SOCKETS = 20;
const PER_SOCKET = 10;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function clientsOf(job: SoakClientsJob) {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const next = <T extends FromSoakClients['type']>(type: T) =>
    new Promise<Extract<FromSoakClients, { type: T }>>((resolve) => {
      const on = (m: FromSoakClients) => {
        if (m.type !== type) return;
        worker.off('message', on);
        resolve(m as Extract<FromSoakClients, { type: T }>);
      };
      worker.on('message', on);
    });
  const ask = <T extends 'reset' | 'report'>(type: T) => {
    const answer = next(type);
    worker.postMessage({ type } satisfies ToSoakClients);
    return answer;
  };
  return { next, ask, close: () => worker.terminate() };
}

async function soak(
  durationS: number,
  dialect: 'sqlite' | 'mariadb',
  sessionsPerS: number,
  queriesPerS: number,
) {
  const seeded = await startTestHive({
    dialect,
    env: { BORGHIVE_WATCH: 'false', BORGHIVE_LOG_LEVEL: 'warn' },
  });
  const repos = await seedRepositories(seeded, REPOSITORIES, true);
  const token = seeded.adminToken;
  await seeded.stop();
  const hive = await spawnHive(seeded.config, {
    BORGHIVE_WATCH: 'true',
    BORGHIVE_WS_MAX_SOCKETS_PER_USER: '20',
    // the hive's default is 1,000 messages waiting per socket: with 10 subscriptions a socket and ~130
    // events/s, under a second of stall on a crowded machine closes it (4008); BENCH_WS_MAX_QUEUED raises it
    ...(process.env['BENCH_WS_MAX_QUEUED']
      ? { BORGHIVE_WS_MAX_QUEUED: process.env['BENCH_WS_MAX_QUEUED'] }
      : {}),
  });
  const orm = await openOrm(seeded.config.database);
  const clients = clientsOf({ url: hive.url, token, sockets: SOCKETS, perSocket: PER_SOCKET });
  try {
    // the hive acknowledges no subscription: write until every one of them has heard an event
    let heard = 0;
    for (let tries = 0; heard < SOCKETS * PER_SOCKET; tries++) {
      if (tries === 50) throw new Error(`only ${heard} subscriptions hear events`);
      await writeSessions(repos.slice(0, 5), 10, (started) => started >= 5);
      heard = (await clients.next('subscribed')).heard;
    }
    await sleep(2000);
    await clients.ask('reset');
    const lastId = async () =>
      (await orm.em.fork().findOne(RepositoryEvent, { id: { $gt: 0 } }, { orderBy: { id: 'desc' } }))?.id ??
      0;
    const since = await lastId();

    const cpuAtStart = await cpuSecondsOf(hive.pid);
    const started = performance.now();
    const over = () => performance.now() - started >= durationS * 1000;
    const writers = writeSessions(repos, sessionsPerS, over);
    const queries = queryLoop({
      url: hive.url,
      token,
      query: (() => {
        let n = 0;
        return () =>
          n++ % 2
            ? `{ repository(id: "${repos[n % repos.length]!.id}") { id name isOpen usageBytes events(limit: 5) { id type } } }`
            : '{ repositories { id name isOpen isStale lastUpdatedAt usageBytes } }';
      })(),
      everyMs: 1000 / queriesPerS,
      done: over,
    });
    const warmUpS = Math.min(60, durationS / 5);
    await sleep(warmUpS * 1000);
    const warm = await memoryOf(hive.pid);
    let peakMB = warm.rssMB;
    while (!over()) {
      await sleep(Math.min(10_000, Math.max(0, durationS * 1000 - (performance.now() - started))));
      peakMB = Math.max(peakMB, (await memoryOf(hive.pid)).rssMB);
    }
    const end = await memoryOf(hive.pid);
    const cpuS = (await cpuSecondsOf(hive.pid)) - cpuAtStart;
    const sessions = await writers;
    const asked = await queries;
    // the watcher and the sockets catch up: wait until the recorded events stay put and every
    // subscription has them all (at most two minutes)
    const recorded = async () => orm.em.fork().count(RepositoryEvent, { id: { $gt: since } });
    let report = await clients.ask('report');
    for (let waited = 0, last = -1, still = 0; waited < 120; waited++) {
      const now = await recorded();
      still = now === last ? still + 1 : 0;
      last = now;
      if (still >= 3 && report.sockets.every((s) => s.fewest >= now)) break;
      await sleep(1000);
      report = await clients.ask('report');
    }
    const expected = await recorded();
    const times = asked.times.sort((a, b) => a - b);
    console.log({
      durationS,
      dialect,
      wsMaxQueued: process.env['BENCH_WS_MAX_QUEUED'] ?? 'default (1000)',
      sessions,
      eventsOfTheSessions: sessions.started * 3,
      eventsRecorded: expected,
      fewestEventsOnASubscription: Math.min(...report.sockets.map((s) => s.fewest)),
      mostEventsOnASubscription: Math.max(...report.sockets.map((s) => s.most)),
      socketsMissingEvents: report.sockets.filter((s) => s.fewest < expected).length,
      socketsClosed: report.sockets.filter((s) => s.closedWith !== null).map((s) => s.closedWith),
      subscriptionErrors: report.sockets.reduce((n, s) => n + s.errors, 0),
      queries: { answered: times.length, failed: asked.failed, failures: asked.failures },
      queryP50Ms: round(percentile(times, 50)),
      queryP99Ms: round(percentile(times, 99)),
      queryMaxMs: round(times.at(-1) ?? NaN),
      // the hive's CPU time over the run, per second of it: the figure to compare on a loaded machine
      hiveCpuS: round(cpuS),
      hiveCpuPerS: round(cpuS / durationS),
      [`rssAfter${Math.round(warmUpS)}sWarmUpMB`]: warm.rssMB,
      rssEndMB: end.rssMB,
      rssGrowthMB: end.rssMB - warm.rssMB,
      rssPeakSampledMB: peakMB,
    });
  } finally {
    await clients.close();
    await orm.close();
    await hive.stop();
    await seeded.dispose();
  }
}

if (isMainThread) {
  const [durationS = '600', dialect = 'sqlite', sessionsPerS = '40', queriesPerS = '50'] =
    process.argv.slice(2);
  await soak(Number(durationS), dialect as 'sqlite' | 'mariadb', Number(sessionsPerS), Number(queriesPerS));
  process.exit(0);
} else {
  soakClients(workerData as SoakClientsJob);
}
