import { parentPort } from 'node:worker_threads';
import { type Client } from 'graphql-ws';
import { benchSocket } from './bench-socket.js';
import { queryLoop } from './query-loop.js';

export type FanoutTopic = 'events' | 'changed';
export interface FanoutJob {
  url: string;
  token: string;
  subscribers: number;
  topic: FanoutTopic;
  repositoryId: number;
}
/** `queryEveryMs`: meanwhile one HTTP query this often (0: none) */
export type ToClients = { type: 'expect'; queryEveryMs: number };
export type FromClients =
  | { type: 'connected' }
  | { type: 'armed' }
  | { type: 'arrived'; times: bigint[]; queryMs: number[]; queriesFailed: number };

export const PER_SOCKET = 10;
const QUERIES: Record<FanoutTopic, string> = {
  events: 'subscription { repositoryEvents { id type message createdAt repository { id name url } } }',
  changed: `subscription { repositoryChanged { id name repoUser uid mode path url quotaBytes alertAfterDays
    isOpen lastAccessAt lastUpdatedAt usageBytes isStale pingUrl createdAt sshKeys { id name fingerprint }
    appendOnlySshKeys { id name } owner { id username } groups { id name }
    events(limit: 5) { id type message createdAt } } }`,
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker of bench/events-fanout: opens the sockets (10 subscriptions each), and per expected change
 * reports when each subscriber had it, and the answer times of the queries it made meanwhile.
 */
export async function fanoutClients(job: FanoutJob): Promise<void> {
  let arrivals: bigint[] = [];
  const sockets: Client[] = [];
  for (let s = 0; s * PER_SOCKET < job.subscribers; s++) {
    const client = benchSocket(job.url, job.token);
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    for (let i = 0; i < PER_SOCKET && s * PER_SOCKET + i < job.subscribers; i++)
      client.subscribe(
        { query: QUERIES[job.topic] },
        {
          next: () => void arrivals.push(process.hrtime.bigint()),
          error: (err) =>
            console.error(
              'subscription error',
              err instanceof CloseEvent ? `${err.code} ${err.reason}` : err,
            ),
          complete: () => undefined,
        },
      );
    sockets.push(client);
  }
  const port = parentPort!;
  port.postMessage({ type: 'connected' } satisfies FromClients);
  port.on('message', (m: ToClients) => {
    arrivals = [];
    port.postMessage({ type: 'armed' } satisfies FromClients);
    void (async () => {
      let waited = 0;
      const done = () => arrivals.length >= job.subscribers || waited >= 10_000;
      const queries = m.queryEveryMs
        ? queryLoop({
            url: job.url,
            token: job.token,
            query: () =>
              `{ repository(id: "${job.repositoryId}") { id name isOpen events(limit: 5) { id } } }`,
            everyMs: m.queryEveryMs,
            done,
          })
        : Promise.resolve({ times: [], failed: 0, failures: [] });
      for (; !done(); waited += 5) await sleep(5);
      const { times: queryMs, failed, failures } = await queries;
      if (failed) console.error(`${failed} queries failed`, failures);
      await sleep(50); // a second delivery to one subscriber would show here
      port.postMessage({
        type: 'arrived',
        times: arrivals,
        queryMs,
        queriesFailed: failed,
      } satisfies FromClients);
    })();
  });
}
