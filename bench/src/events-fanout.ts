/**
 * bench/events-fanout: one published change fanned out to many subscribers over real sockets (graphql-ws
 * clients in a worker thread, 10 subscriptions a socket) of an in-process hive on SQLite. Per change: the
 * database statements from publish to the last delivery, and the delivery latency of every subscriber.
 * - events: an event recorded (its insert included) -> `repositoryEvents { ... repository { ... } }`
 * - changed: a repository's change published -> `repositoryChanged { contract fields, events(limit: 5) }`,
 *   which waits out the per-repository debounce first (that wait is reported apart).
 * Then the same rounds again while the worker asks a query over HTTP every 20 ms (`underQueries`): live
 * traffic must not starve queries (their answer times, and hiveLoopBlockedMaxMs: the longest the hive's
 * event loop could not turn, sampled every 5 ms).
 * Goal: statements independent of the subscriber count; p99 <= 250 ms at 5,000 (after the debounce).
 * Usage: npx node bench/dist/events-fanout.js [subscribers=500] [rounds=10]
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import 'reflect-metadata';
import {
  type Em,
  DEFAULT_LIVE_TIMING,
  RepositoryEventType,
  Repository,
  addKey,
  createRepo,
  countStatements,
  startTestHive,
  type TestHive,
} from '@borg-hive/server/testing';
import {
  fanoutClients,
  PER_SOCKET,
  type FanoutJob,
  type FanoutTopic,
  type FromClients,
  type ToClients,
} from './events-fanout-clients.js';
import { percentile, round } from './events-hive-kit.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (sorted: number[], p: number): number => round(percentile(sorted, p));
type Change = (queryEveryMs: number) => Promise<{ t0: bigint; times: bigint[]; queryMs: number[] }>;
type Clients = { change: Change; close: () => Promise<number> };

/** The worker's clients, and one change at a time: published here, the arrival times reported there. */
async function clientsOf(job: FanoutJob, publish: () => Promise<void>): Promise<Clients> {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const next = <T extends FromClients['type']>(type: T) =>
    new Promise<Extract<FromClients, { type: T }>>((resolve) => {
      const on = (m: FromClients) => {
        if (m.type !== type) return;
        worker.off('message', on);
        resolve(m as Extract<FromClients, { type: T }>);
      };
      worker.on('message', on);
    });
  await next('connected');
  const change: Change = async (queryEveryMs) => {
    const armed = next('armed');
    worker.postMessage({ type: 'expect', queryEveryMs } satisfies ToClients);
    await armed;
    const arrived = next('arrived');
    const t0 = process.hrtime.bigint();
    await publish();
    const { times, queryMs, queriesFailed } = await arrived;
    if (queriesFailed) throw new Error(`${queriesFailed} queries failed`);
    return { t0, times, queryMs };
  };
  return { change, close: () => worker.terminate() };
}

async function phase(hive: TestHive, topic: FanoutTopic, subscribers: number, rounds: number): Promise<void> {
  const em = hive.services.orm.em.fork() as Em;
  const repo = await em.findOneOrFail(Repository, { id: { $gt: 0 } }, { populate: ['groups'] });
  const job = { url: hive.url, token: hive.adminToken, subscribers, topic, repositoryId: repo.id };
  const { change, close } = await clientsOf(job, () =>
    topic === 'events'
      ? hive.services.events.record(em, repo, RepositoryEventType.ACCESSED, 'fan-out').then(() => undefined)
      : hive.services.events.changed(em, repo),
  );
  // graphql-ws acknowledges no subscription: changes until every subscriber has had one
  for (let tries = 0; tries < 20 && (await change(0)).times.length < subscribers; tries++) await sleep(200);
  const statements = countStatements(hive);
  const debounceMs = topic === 'changed' ? DEFAULT_LIVE_TIMING.debounceMs : 0;
  const measure = async (queryEveryMs: number) => {
    const latencies: number[] = [];
    const queries: number[] = [];
    const perChange: number[] = [];
    // the hive's thread alone (the clients run in the worker): the fan-out's cost, however busy the machine
    let hiveCpuMs = 0;
    let missing = 0;
    const loop = monitorEventLoopDelay({ resolution: 5 });
    for (let r = 0; r < rounds; r++) {
      await sleep(100);
      statements.reset();
      loop.enable();
      const cpu = process.threadCpuUsage();
      const { t0, times, queryMs } = await change(queryEveryMs);
      const used = process.threadCpuUsage(cpu);
      loop.disable();
      hiveCpuMs += (used.user + used.system) / 1000;
      perChange.push(statements.count);
      queries.push(...queryMs);
      missing += Math.max(0, subscribers - times.length);
      latencies.push(...times.map((t) => Number(t - t0) / 1e6));
    }
    latencies.sort((a, b) => a - b);
    queries.sort((a, b) => a - b);
    return {
      deliveries: latencies.length,
      missing,
      statementsPerChange: [...new Set(perChange)].sort((a, b) => a - b),
      hiveCpuMsPerChange: round(hiveCpuMs / rounds),
      p50Ms: ms(latencies, 50),
      p99Ms: ms(latencies, 99),
      maxMs: round(latencies.at(-1) ?? NaN),
      p99AfterDebounceMs: round(percentile(latencies, 99) - debounceMs),
      queries: { count: queries.length, p50Ms: ms(queries, 50), p99Ms: ms(queries, 99) },
      hiveLoopBlockedMaxMs: round(loop.max / 1e6),
    };
  };
  const { queries: _none, ...alone } = await measure(0);
  const loaded = await measure(20);
  await close();
  console.log({
    topic,
    subscribers,
    sockets: Math.ceil(subscribers / PER_SOCKET),
    debounceMs,
    ...alone,
    underQueries: {
      missing: loaded.missing,
      p50Ms: loaded.p50Ms,
      p99AfterDebounceMs: loaded.p99AfterDebounceMs,
      hiveLoopBlockedMaxMs: loaded.hiveLoopBlockedMaxMs,
      queries: loaded.queries,
    },
  });
}

if (isMainThread) {
  const subscribers = Number(process.argv[2] ?? 500);
  const rounds = Number(process.argv[3] ?? 10);
  const hive = await startTestHive({
    env: {
      BORGHIVE_LOG_LEVEL: 'warn',
      BORGHIVE_WS_MAX_SOCKETS_PER_USER: String(Math.ceil(subscribers / PER_SOCKET) + 10),
    },
    overrides: { jobs: false },
  });
  try {
    const key = await addKey(hive, hive.adminToken, 'bench-key');
    await createRepo(hive, hive.adminToken, { name: 'fanout', sshKeyIds: [key.id] });
    for (const topic of ['events', 'changed'] as const) await phase(hive, topic, subscribers, rounds);
  } finally {
    await hive.dispose();
  }
  process.exit(0);
} else {
  await fanoutClients(workerData as FanoutJob);
}
