/**
 * bench/events-fanout: one published change fanned out to many subscribers over real sockets (graphql-ws
 * clients in a worker thread, 10 subscriptions a socket) of an in-process hive on SQLite. Per change: the
 * database statements from publish to the last delivery, and the delivery latency of every subscriber.
 * - events: an event recorded (its insert included) -> `repositoryEvents { ... repository { ... } }`
 * - changed: a repository's change published -> `repositoryChanged { contract fields, events(limit: 5) }`,
 *   which waits out the per-repository debounce first (that wait is reported apart).
 * Goal: statements independent of the subscriber count; p99 <= 250 ms at 5,000 (after the debounce).
 * Usage: npx node bench/dist/events-fanout.js [subscribers=500] [rounds=10]
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import 'reflect-metadata';
import { createClient, type Client } from 'graphql-ws';
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
import { percentile, round } from './events-hive-kit.js';

type Topic = 'events' | 'changed';
interface Job {
  url: string;
  token: string;
  subscribers: number;
  topic: Topic;
}
type ToWorker = { type: 'expect' };
type FromWorker = { type: 'connected' } | { type: 'armed' } | { type: 'arrived'; times: bigint[] };

const PER_SOCKET = 10;
const QUERIES: Record<Topic, string> = {
  events: 'subscription { repositoryEvents { id type message createdAt repository { id name url } } }',
  changed: `subscription { repositoryChanged { id name repoUser uid mode path url quotaBytes alertAfterDays
    isOpen lastAccessAt lastUpdatedAt usageBytes isStale pingUrl createdAt sshKeys { id name fingerprint }
    appendOnlySshKeys { id name } owner { id username } groups { id name }
    events(limit: 5) { id type message createdAt } } }`,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The worker: opens the sockets, and per expected change reports when each subscriber had it. */
async function clients(job: Job): Promise<void> {
  let arrivals: bigint[] = [];
  const sockets: Client[] = [];
  for (let s = 0; s * PER_SOCKET < job.subscribers; s++) {
    const client = createClient({
      url: `${job.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${job.token}` },
      lazy: false,
      retryAttempts: 0,
    });
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    for (let i = 0; i < PER_SOCKET && s * PER_SOCKET + i < job.subscribers; i++)
      client.subscribe(
        { query: QUERIES[job.topic] },
        {
          next: () => void arrivals.push(process.hrtime.bigint()),
          error: (err) => console.error('subscription error', err),
          complete: () => undefined,
        },
      );
    sockets.push(client);
  }
  parentPort!.postMessage({ type: 'connected' } satisfies FromWorker);
  parentPort!.on('message', (m: ToWorker) => {
    if (m.type !== 'expect') return;
    arrivals = [];
    parentPort!.postMessage({ type: 'armed' } satisfies FromWorker);
    void (async () => {
      for (let waited = 0; arrivals.length < job.subscribers && waited < 10_000; waited += 5) await sleep(5);
      await sleep(50); // a second delivery to one subscriber would show here
      parentPort!.postMessage({ type: 'arrived', times: arrivals } satisfies FromWorker);
    })();
  });
}

async function phase(hive: TestHive, topic: Topic, subscribers: number, rounds: number): Promise<void> {
  const em = hive.services.orm.em.fork() as Em;
  const repo = await em.findOneOrFail(Repository, { id: { $gt: 0 } }, { populate: ['groups'] });
  const publish = () =>
    topic === 'events'
      ? hive.services.events.record(em, repo, RepositoryEventType.ACCESSED, 'fan-out').then(() => undefined)
      : hive.services.events.changed(em, repo);
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { url: hive.url, token: hive.adminToken, subscribers, topic } satisfies Job,
  });
  const next = <T extends FromWorker['type']>(type: T) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve) => {
      const on = (m: FromWorker) => {
        if (m.type !== type) return;
        worker.off('message', on);
        resolve(m as Extract<FromWorker, { type: T }>);
      };
      worker.on('message', on);
    });
  const change = async (): Promise<{ t0: bigint; times: bigint[] }> => {
    const armed = next('armed');
    worker.postMessage({ type: 'expect' } satisfies ToWorker);
    await armed;
    const arrived = next('arrived');
    const t0 = process.hrtime.bigint();
    await publish();
    return { t0, times: (await arrived).times };
  };
  await next('connected');
  // graphql-ws acknowledges no subscription: changes until every subscriber has had one
  for (let tries = 0; tries < 20 && (await change()).times.length < subscribers; tries++) await sleep(200);
  const statements = countStatements(hive);
  const latencies: number[] = [];
  const perChange: number[] = [];
  // the hive's thread alone (the clients run in the worker): what the fan-out costs, however busy the machine
  const hiveCpuMs: number[] = [];
  let missing = 0;
  for (let r = 0; r < rounds; r++) {
    await sleep(100);
    statements.reset();
    const cpu = process.threadCpuUsage();
    const { t0, times } = await change();
    const used = process.threadCpuUsage(cpu);
    hiveCpuMs.push((used.user + used.system) / 1000);
    perChange.push(statements.count);
    missing += Math.max(0, subscribers - times.length);
    latencies.push(...times.map((t) => Number(t - t0) / 1e6));
  }
  latencies.sort((a, b) => a - b);
  const debounceMs = topic === 'changed' ? DEFAULT_LIVE_TIMING.debounceMs : 0;
  console.log({
    topic,
    subscribers,
    sockets: Math.ceil(subscribers / PER_SOCKET),
    deliveries: latencies.length,
    missing,
    statementsPerChange: [...new Set(perChange)].sort((a, b) => a - b),
    hiveCpuMsPerChange: round(hiveCpuMs.reduce((a, b) => a + b, 0) / hiveCpuMs.length),
    debounceMs,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1) ?? NaN),
    p99AfterDebounceMs: round(percentile(latencies, 99) - debounceMs),
  });
  await worker.terminate();
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
  await clients(workerData as Job);
}
