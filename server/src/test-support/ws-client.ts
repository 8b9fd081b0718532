import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>;

export interface Closed {
  code: number;
  reason: string;
}

/** One graphql-ws connection that never reconnects and remembers how it was closed. */
export interface WsConnection {
  /** How the server closed the socket, once it has. */
  closed(): Closed | undefined;
  /** Runs one operation over this socket: its result, or the error (a close) that ended it. */
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<ExecutionResult<T> | Error>;
  /** Starts a subscription; `received` fills with every result. */
  listen<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): ExecutionResult<T>[];
  dispose(): Promise<void>;
}

export async function connectWs(httpUrl: string, token: string): Promise<WsConnection> {
  let closed: Closed | undefined;
  const client: Client = createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    // the tests look at the close themselves (the default prints it)
    onNonLazyError: () => undefined,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        closed ??= { code: e.code, reason: e.reason };
      },
    },
  });
  await new Promise<void>((resolve, reject) => {
    const off = client.on('connected', () => {
      off();
      resolve();
    });
    client.on('closed', (e) =>
      reject(new Error(`closed before connecting: ${(e as { code: number }).code}`)),
    );
  });
  return {
    closed: () => closed,
    execute: <T>(query: string, variables: Record<string, unknown> = {}) =>
      new Promise<ExecutionResult<T> | Error>((resolve) => {
        // after a close the client would connect anew: an operation here must use this socket or fail
        if (closed) return resolve(new Error(`socket closed (${closed.code})`));
        let result: ExecutionResult<T> | undefined;
        client.subscribe<T>(
          { query, variables },
          {
            next: (r) => (result = r),
            error: (err) => resolve(err instanceof Error ? err : new Error(JSON.stringify(err))),
            complete: () => resolve(result ?? new Error('no result')),
          },
        );
      }),
    listen: <T>(query: string, variables: Record<string, unknown> = {}) => {
      const received: ExecutionResult<T>[] = [];
      client.subscribe<T>(
        { query, variables },
        { next: (r) => received.push(r), error: () => undefined, complete: () => undefined },
      );
      return received;
    },
    dispose: async () => {
      await client.dispose();
    },
  };
}
