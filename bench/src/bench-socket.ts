import { createClient, type Client, type ClientOptions } from 'graphql-ws';

/** A graphql-ws socket to the hive as the token's holder: connects at once and never reconnects. */
export function benchSocket(httpUrl: string, token: string, on?: ClientOptions['on']): Client {
  return createClient({
    url: `${httpUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
    on,
  });
}
