import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';

/** GraphQL endpoint of a hive whose base URL is `baseUrl` (`https://hive.example` → `.../graphql`). */
export function graphqlUrl(baseUrl: string): string {
  return new URL('graphql', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href;
}

/** One ApolloClient per hive: HTTP for queries and mutations, graphql-transport-ws for subscriptions. */
export function createHiveClient(baseUrl: string, token: string | null): ApolloClient {
  const http = graphqlUrl(baseUrl);
  const authorization = token ? `Bearer ${token}` : undefined;
  const httpLink = new HttpLink({ uri: http, headers: authorization ? { authorization } : {} });
  const wsLink = new GraphQLWsLink(
    createClient({
      url: http.replace(/^http/, 'ws'),
      connectionParams: authorization ? { authorization } : {},
      retryAttempts: Infinity,
      shouldRetry: () => true,
    }),
  );
  return new ApolloClient({
    link: ApolloLink.split((operation) => operation.operationType === 'subscription', wsLink, httpLink),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
