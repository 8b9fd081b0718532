import { useSubscription } from '@apollo/client/react';
import { useEffect } from 'react';
import { ApolloProvider } from '@apollo/client/react';
import type { HiveConnection } from '../hives/hive-connection.js';
import { eventFields } from '../graphql/fragments.js';
import { MISSED_ALERTS } from '../graphql/missed-alert-operations.js';
import { REPOSITORY_CHANGED, REPOSITORY_EVENTS, REPOSITORY_REMOVED } from '../graphql/operations.js';
import { missedAlerts } from '../hives/missed-alerts.js';
import type { RepositoryDetail } from '../graphql/types.js';
import { href } from '../route.js';
import { useAlerts } from './Alerts.js';

/**
 * Keeps one hive's cache current: changed repositories normalise by id, deleted ones leave the cache,
 * new events go on top of lists.
 */
export function LiveUpdates({ connection }: { connection: HiveConnection }) {
  return (
    <ApolloProvider client={connection.client}>
      <Subscriptions connection={connection} />
    </ApolloProvider>
  );
}

function Subscriptions({ connection }: { connection: HiveConnection }) {
  const { push } = useAlerts();
  // Back after an outage: every open screen asks again, so errors from the outage clear themselves.
  // Alerts raised meanwhile never came over the socket: ask which repositories alerted during the outage.
  useEffect(() => {
    const { client, status, hive } = connection;
    let seen = status.reconnects;
    let offlineSince: number | null = null;
    return status.subscribe(() => {
      const state = status.getSnapshot();
      if (state.kind === 'offline' && offlineSince === null) offlineSince = state.since;
      if (status.reconnects === seen) return;
      seen = status.reconnects;
      const since = offlineSince ?? Date.now();
      offlineSince = null;
      void client.refetchQueries({ include: 'active' }).catch(() => undefined);
      void client
        .query({ query: MISSED_ALERTS, fetchPolicy: 'no-cache' })
        .then(({ data }) => {
          const rows = data?.repositoryPage.edges.map((edge) => edge.node) ?? [];
          for (const repository of missedAlerts(rows, since)) {
            push({
              key: `${hive.id}:missed:${repository.id}:${repository.lastAlertAt ?? ''}`,
              title: `${repository.name} · ${hive.name} (while offline)`,
              message: 'An alert was raised while the console was not connected.',
              href: href({ screen: 'repository', hiveId: hive.id, id: repository.id }),
            });
          }
        })
        .catch(() => undefined);
    });
  }, [connection, push]);
  // Normalised by id into the cache: an open repository screen follows; the overview applies it itself.
  useSubscription(REPOSITORY_CHANGED, { ignoreResults: true });
  useSubscription(REPOSITORY_REMOVED, {
    ignoreResults: true,
    onData: ({ client, data }) => {
      const removed = data.data?.repositoryRemoved;
      if (!removed) return;
      client.cache.evict({ id: client.cache.identify({ __typename: 'Repository', id: removed }) });
      client.cache.gc();
    },
  });
  useSubscription(REPOSITORY_EVENTS, {
    ignoreResults: true,
    onData: ({ client, data }) => {
      const event = data.data?.repositoryEvents;
      if (!event) return;
      const { repository, ...fields } = event;
      client.cache.modify<Pick<RepositoryDetail, 'events'>>({
        id: client.cache.identify({ __typename: 'Repository', id: repository.id }),
        fields: {
          events(existing, { toReference, storeFieldName }) {
            if (!isList(existing) || !storeFieldName.includes('limit')) return existing;
            const ref = client.cache.writeFragment({
              data: { __typename: 'RepositoryEvent', ...fields },
              fragment: eventFields,
            });
            if (!ref || existing.some((item) => toReference(item)?.__ref === ref.__ref)) return existing;
            return [ref, ...existing];
          },
        },
      });
      if (event.type === 'ALERT') {
        push({
          key: `${connection.hive.id}:${event.id}`,
          title: `${repository.name} · ${connection.hive.name}`,
          message: event.message ?? 'Alert',
          href: href({ screen: 'repository', hiveId: connection.hive.id, id: repository.id }),
        });
      }
    },
  });
  return null;
}

/** Array.isArray without widening the cached list to any[]. */
function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}
