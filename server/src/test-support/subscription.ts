import { createClient, type Client } from 'graphql-ws';

export interface Subscription<T> {
  received: T[];
  /** Resolves with the first message (already received or coming) that satisfies `match`. */
  waitFor(match: (message: T) => boolean, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** A graphql-ws client (Node's global WebSocket) subscribed to `query` with a bearer token. */
export async function subscribe<T>(
  httpUrl: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscription<T>> {
  const url = `${httpUrl.replace(/^http/, 'ws')}/graphql`;
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('error', reject);
  });
  const received: T[] = [];
  const waiters = new Set<{ match: (m: T) => boolean; resolve: (m: T) => void }>();
  let failure: unknown = null;
  const started = new Promise<void>((resolve) => {
    const unsubscribe = client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) failure = result.errors;
          const data = result.data as T | undefined;
          if (!data) return;
          received.push(data);
          for (const w of waiters) {
            if (w.match(data)) {
              waiters.delete(w);
              w.resolve(data);
            }
          }
        },
        error: (err) => (failure = err),
        complete: () => undefined,
      },
    );
    void unsubscribe;
    // graphql-ws has no "subscribed" ack: a short settle lets the server register the subscription
    setTimeout(resolve, 150);
  });
  await started;
  return {
    received,
    waitFor: (match, timeoutMs = 15_000) => {
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
    close: async () => {
      await client.dispose();
    },
  };
}
