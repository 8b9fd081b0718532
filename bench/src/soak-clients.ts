import { parentPort } from 'node:worker_threads';
import { benchSocket } from './bench-socket.js';

export interface SoakClientsJob {
  url: string;
  token: string;
  sockets: number;
  perSocket: number;
}
export type ToSoakClients = { type: 'reset' } | { type: 'report' };
export interface SocketTally {
  /** events on the subscription of this socket that had the fewest, and the most */
  fewest: number;
  most: number;
  /** close code if the hive closed the socket, and subscription errors */
  closedWith: number | null;
  errors: number;
}
export type FromSoakClients =
  { type: 'subscribed'; heard: number } | { type: 'reset' } | { type: 'report'; sockets: SocketTally[] };

const QUERY = 'subscription { repositoryEvents { id type createdAt repository { id name } } }';

/**
 * The worker of bench/soak: `sockets` graphql-ws clients with `perSocket` repositoryEvents subscriptions
 * each; counts the events every subscription receives. Reports `subscribed` with how many subscriptions
 * heard an event so far (the hive does not acknowledge a subscription: the bench writes until all have).
 */
export function soakClients(job: SoakClientsJob): void {
  const port = parentPort!;
  const counts: number[][] = [];
  const tallies = Array.from({ length: job.sockets }, () => ({
    closedWith: null as number | null,
    errors: 0,
  }));
  for (let s = 0; s < job.sockets; s++) {
    const mine = new Array<number>(job.perSocket).fill(0);
    counts.push(mine);
    const client = benchSocket(job.url, job.token, {
      closed: (e) => (tallies[s]!.closedWith = (e as CloseEvent).code),
    });
    for (let i = 0; i < job.perSocket; i++)
      client.subscribe(
        { query: QUERY },
        {
          next: (r) => (r.errors ? tallies[s]!.errors++ : mine[i]!++),
          error: () => tallies[s]!.errors++,
          complete: () => undefined,
        },
      );
  }
  const heard = () => counts.flat().filter((n) => n > 0).length;
  const timer = setInterval(() => port.postMessage({ type: 'subscribed', heard: heard() }), 200);
  port.on('message', (m: ToSoakClients) => {
    if (m.type === 'reset') {
      clearInterval(timer);
      for (const mine of counts) mine.fill(0);
      port.postMessage({ type: 'reset' } satisfies FromSoakClients);
      return;
    }
    const sockets = counts.map((mine, s) => ({
      fewest: Math.min(...mine),
      most: Math.max(...mine),
      ...tallies[s]!,
    }));
    port.postMessage({ type: 'report', sockets } satisfies FromSoakClients);
  });
}
