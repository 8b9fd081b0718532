import { parentPort } from 'node:worker_threads';
import type { Client } from 'graphql-ws';
import { benchSocket } from './bench-socket.js';

export interface FanoutClientsJob {
  url: string;
  token: string;
  subscribers: number;
}
/** `delays`: publish-to-receipt per message received, ms; `received`: messages received in all. */
export type FromFanoutClients =
  { type: 'connected' } | { type: 'settled'; delays: number[]; received: number };

const QUERY = 'subscription{backupRunChanged{id state message progress{originalBytes files currentPath}}}';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker of bench/jobs's fan-out: `subscribers` consoles (one socket and one backupRunChanged
 * subscription each), on their own event loop so the hive's delay is not the clients' parsing. On
 * 'settle' it waits until nothing arrived for a second and reports what came.
 */
export async function fanoutClients(job: FanoutClientsJob): Promise<void> {
  const delays: number[] = [];
  let received = 0;
  let lastArrival = Date.now();
  const sockets: Client[] = [];
  for (let i = 0; i < job.subscribers; i++) {
    const socket = benchSocket(job.url, job.token);
    await new Promise<void>((resolve) => socket.on('connected', () => resolve()));
    socket.subscribe<{ backupRunChanged: { message: string | null } }>(
      { query: QUERY },
      {
        next: (m) => {
          const sent = Number(m.data?.backupRunChanged.message ?? NaN);
          if (Number.isFinite(sent)) delays.push(Date.now() - sent);
          received += 1;
          lastArrival = Date.now();
        },
        error: (err) => console.error('subscription error', err),
        complete: () => undefined,
      },
    );
    sockets.push(socket);
  }
  const port = parentPort!;
  port.postMessage({ type: 'connected' } satisfies FromFanoutClients);
  port.once('message', () => {
    void (async () => {
      while (Date.now() - lastArrival < 1000) await sleep(100);
      for (const s of sockets) void s.dispose();
      port.postMessage({ type: 'settled', delays, received } satisfies FromFanoutClients);
    })();
  });
}
