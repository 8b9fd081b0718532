import { createClient, type Client } from 'graphql-ws';

export interface Subscription<T> {
  received: T[];
  /** Resolves with the first message (already received or coming) that satisfies `match`. */
  waitFor(match: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  /** Resolves with the errors the server answered the subscription with (it is over then). */
  failed: Promise<readonly { message: string; extensions?: Record<string, unknown> }[]>;
  close(): Promise<void>;
}

export interface LiveSocket {
  /** A subscription on this socket; `settleMs` gives the server time to register it (no ack exists). */
  subscribe<T>(
    query: string,
    variables?: Record<string, unknown>,
    settleMs?: number,
  ): Promise<Subscription<T>>;
  /** Resolves when the server closes the socket, with its close code and reason. */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

type ServerErrors = readonly { message: string; extensions?: Record<string, unknown> }[];

/** One graphql-ws client (Node's global WebSocket) with a bearer token; rejects if the server refuses it. */
export async function openSocket(httpUrl: string, token: string): Promise<LiveSocket> {
  const url = `${httpUrl.replace(/^http/, 'ws')}/graphql`;
  let onClosed: (e: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined, // a refused socket rejects below, with its close code
    on: { closed: (e) => onClosed({ code: (e as CloseEvent).code, reason: (e as CloseEvent).reason }) },
  });
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('error', reject);
    void closed.then((e) => reject(new Error(`closed ${e.code}: ${e.reason}`)));
  });
  return {
    closed,
    close: async () => {
      await client.dispose();
    },
    subscribe: async <T>(query: string, variables: Record<string, unknown> = {}, settleMs = 150) => {
      const received: T[] = [];
      const waiters = new Set<{ match: (m: T) => boolean; resolve: (m: T) => void }>();
      let failure: unknown = null;
      let fail: (errors: ServerErrors) => void = () => undefined;
      const failed = new Promise<ServerErrors>((resolve) => (fail = resolve));
      const unsubscribe = client.subscribe<T>(
        { query, variables },
        {
          next: (result) => {
            if (result.errors) failure = result.errors;
            const data = result.data as T | undefined;
            // an error the subscription's resolver threw arrives as a result without data, then it completes
            if (!data && result.errors) fail(result.errors as ServerErrors);
            if (!data) return;
            received.push(data);
            for (const w of waiters) {
              if (w.match(data)) {
                waiters.delete(w);
                w.resolve(data);
              }
            }
          },
          error: (err) => {
            failure = err;
            if (Array.isArray(err)) fail(err as ServerErrors);
          },
          complete: () => undefined,
        },
      );
      if (settleMs > 0) await new Promise((resolve) => setTimeout(resolve, settleMs));
      return {
        received,
        failed,
        waitFor: (match: (m: T) => boolean, timeoutMs = 15_000) => {
          const found = received.find(match);
          if (found) return Promise.resolve(found);
          return new Promise<T>((resolve, reject) => {
            const waiter = { match, resolve };
            waiters.add(waiter);
            setTimeout(() => {
              if (waiters.delete(waiter))
                reject(new Error(`no matching message in ${timeoutMs} ms (${JSON.stringify(failure)})`));
            }, timeoutMs).unref();
          });
        },
        close: async () => unsubscribe(),
      };
    },
  };
}

/** A graphql-ws client of its own subscribed to `query` with a bearer token. */
export async function subscribe<T>(
  httpUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription<T>> {
  const socket = await openSocket(httpUrl, token);
  const sub = await socket.subscribe<T>(query, variables);
  return { ...sub, close: () => socket.close() };
}
