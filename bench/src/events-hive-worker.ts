import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { createClient } from 'graphql-ws';
import { simulateWrite } from '@borg-hive/server/testing';

export type WorkerJob =
  | {
      kind: 'latency';
      url: string;
      token: string;
      repos: { id: string; path: string }[];
      sessions: number;
      /** borg 2: a lock object in locks/ (written under a temporary name, renamed) instead of borg 1's lock */
      borg2?: boolean;
    }
  | { kind: 'fanout'; url: string; token: string; clients: number; rounds: number };

type EventMessage = { repositoryEvents: { type: string } };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function connect(
  url: string,
  token: string,
  onEvent: (m: EventMessage) => void,
): Promise<() => Promise<void>> {
  const client = createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
  });
  client.subscribe<EventMessage>(
    { query: 'subscription{repositoryEvents{type}}' },
    { next: (r) => r.data && onEvent(r.data), error: () => undefined, complete: () => undefined },
  );
  return new Promise((resolve) =>
    client.on('connected', () => resolve(() => client.dispose() as Promise<void>)),
  );
}

/** Runs in a worker thread: the borg clients (simulated) and the graphql-ws clients. */
export async function runWorker(job: WorkerJob, port: MessagePort): Promise<number[]> {
  const delays: number[] = [];
  if (job.kind === 'latency') {
    let waiting: { id: string; t0: bigint; done: () => void } | null = null;
    const close = await connect(job.url, job.token, (m) => {
      const e = m.repositoryEvents;
      // sessions run one at a time: the OPENED that arrives is the current session's
      if (waiting && e.type === 'OPENED' && waiting.t0 > 0n) {
        delays.push(Number(process.hrtime.bigint() - waiting.t0) / 1e6);
        waiting.done();
      }
    });
    await sleep(500);
    for (let i = 0; i < job.sessions; i++) {
      const repo = job.repos[Math.floor(Math.random() * job.repos.length)]!;
      const seen = new Promise<void>((done) => (waiting = { id: repo.id, t0: 0n, done }));
      if (job.borg2) {
        // borgstore: a new lock object under a temporary name, renamed; removed when the command ends
        const lock = join(repo.path, 'locks', (i + 1).toString(16).padStart(64, '0'));
        await writeFile(`${lock}.tmp`, 'encrypted lock');
        waiting!.t0 = process.hrtime.bigint();
        await rename(`${lock}.tmp`, lock);
        await Promise.race([seen, sleep(2000)]);
        waiting = null;
        await rm(lock);
        await sleep(20); // the CLOSED of this session before the next one opens
      } else {
        await simulateWrite(repo.path, { onLocked: () => waiting && (waiting.t0 = process.hrtime.bigint()) });
        await Promise.race([seen, sleep(2000)]);
        waiting = null;
      }
      await sleep(5);
    }
    await close();
    return delays;
  }
  const arrivals: bigint[] = [];
  const closers = await Promise.all(
    Array.from({ length: job.clients }, () =>
      connect(job.url, job.token, () => arrivals.push(process.hrtime.bigint())),
    ),
  );
  await sleep(1000);
  for (let round = 0; round < job.rounds; round++) {
    arrivals.length = 0;
    const t0 = await new Promise<bigint>((resolve) => {
      port.once('message', (m: { t0: bigint }) => resolve(m.t0));
      port.postMessage({ type: 'record' });
    });
    for (let waited = 0; arrivals.length < job.clients && waited < 5000; waited += 5) await sleep(5);
    const last = arrivals.reduce((a, b) => (b > a ? b : a), t0);
    delays.push(arrivals.length < job.clients ? Infinity : Number(last - t0) / 1e6);
    await sleep(100);
  }
  await Promise.all(closers.map((c) => c()));
  return delays;
}
