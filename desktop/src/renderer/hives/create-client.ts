import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import { retryDelayMs, type ConnectionMonitor } from './connection-state.js';

/**
 * graphql-ws close codes of a refused token: 4403 when connectionParams carry no valid token (or the
 * user's rights shrank), 4401 when the credential of an open socket ended (logout, revoked, expired).
 */
const REJECTED_CLOSES: readonly number[] = [4401, 4403];

/** GraphQL endpoint of a hive whose base URL is `baseUrl` (`https://hive.example` → `.../graphql`). */
export function graphqlUrl(baseUrl: string): string {
  return new URL('graphql', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}

export interface HiveClientOptions {
  /** Called when the hive rejects the token (expired, revoked, signed out elsewhere). */
  readonly onUnauthenticated?: () => void;
  /** Told when the subscription socket opens, closes and plans its next attempt. */
  readonly monitor?: ConnectionMonitor;
}

function isClose(event: unknown): event is { code: number } {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number';
}

/** One ApolloClient per hive: HTTP for queries and mutations, graphql-transport-ws for subscriptions. */
export function createHiveClient(
  baseUrl: string,
  token: string | null,
  options: HiveClientOptions = {},
): ApolloClient {
  const http = graphqlUrl(baseUrl);
  const authorization = token ? `Bearer ${token}` : undefined;
  // Only a token can be rejected: without one, UNAUTHENTICATED is simply the answer (e.g. a wrong password).
  const monitor = options.monitor;
  const rejected = token
    ? () => {
        monitor?.signedOut(Date.now());
        options.onUnauthenticated?.();
      }
    : undefined;
  const httpLink = new HttpLink({ uri: http, headers: authorization ? { authorization } : {} });
  const wsLink = new GraphQLWsLink(
    createClient({
      url: http.replace(/^http/, 'ws'),
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: Infinity,
      // With a token the socket is the console's heartbeat: open even when no screen subscribes.
      lazy: !token,
      // Refusals and outages reach the monitor through `closed`; nothing more to report.
      onNonLazyError: () => undefined,
      keepAlive: 10_000,
      retryWait: async (retries) => {
        const ms = retryDelayMs(retries);
        monitor?.retrying(Date.now() + ms);
        await new Promise((resolve) => setTimeout(resolve, ms));
      },
      // A refused token stays refused: stop knocking and let the app sign out.
      shouldRetry: (event) => !(isClose(event) && REJECTED_CLOSES.includes(event.code)),
      on: {
        connected: () => monitor?.connected(Date.now()),
        closed: (event) => {
          if (isClose(event) && REJECTED_CLOSES.includes(event.code)) rejected?.();
          else monitor?.lost(Date.now());
        },
      },
    }),
  );
  const unauthenticated = new ErrorLink(({ error }) => {
    if (
      CombinedGraphQLErrors.is(error) &&
      error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')
    ) {
      rejected?.();
    }
  });
  return new ApolloClient({
    link: unauthenticated.concat(
      ApolloLink.split((operation) => operation.operationType === 'subscription', wsLink, httpLink),
    ),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
