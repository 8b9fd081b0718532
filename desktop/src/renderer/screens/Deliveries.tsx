import { useQuery } from '@apollo/client/react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { absoluteTime, relativeTime } from '../format.js';
import { NOTIFICATION_DELIVERIES } from '../graphql/delivery-operations.js';
import { href } from '../route.js';

const LIMIT = 200;

/** Every alert sent (or not) through the channels one may see: a failing channel cannot fail silently. */
export function Deliveries({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <DeliveriesView hiveId={hiveId} />
    </HiveScope>
  );
}

function DeliveriesView({ hiveId }: { hiveId: string }) {
  return (
    <>
      <header className="page-header">
        <h1>Delivery log</h1>
      </header>
      <p className="muted">
        Alerts and recoveries per channel, newest first: pending ones are retried for a day, then given up.
      </p>
      <DeliveryLog hiveId={hiveId} />
    </>
  );
}

/**
 * The deliveries of every channel one may see, newest first; with `repositoryId` only those about that
 * repository (its alert history), with `channelId` those of that channel. Inside a HiveScope.
 */
export function DeliveryLog({
  hiveId,
  repositoryId,
  channelId,
}: {
  hiveId: string;
  repositoryId?: string;
  channelId?: string;
}) {
  const { data, error } = useQuery(NOTIFICATION_DELIVERIES, {
    variables: { limit: LIMIT, repositoryId: repositoryId ?? null, channelId: channelId ?? null },
    pollInterval: 30_000,
  });
  return (
    <>
      <ErrorText error={error} />
      <ListTable
        label={repositoryId ? 'Alert history' : 'Deliveries'}
        columns={['Message', 'Channel', 'State', 'When']}
        rows={data?.notificationDeliveries}
        failed={error !== undefined}
        loading="Loading deliveries…"
        empty={repositoryId ? 'No alerts about this repository yet.' : 'Nothing sent yet.'}
      >
        {(delivery) => (
          <tr key={delivery.id} data-testid="delivery">
            <th scope="row">
              {delivery.title}
              {delivery.repository && (
                <div className="muted small">
                  <a href={href({ screen: 'repository', hiveId, id: delivery.repository.id })}>
                    {delivery.repository.name}
                  </a>
                </div>
              )}
            </th>
            <td>{delivery.channel.name}</td>
            <td>
              <span
                className={`badge ${delivery.state === 'SENT' ? 'badge-ok' : delivery.state === 'FAILED' ? 'badge-health-failed' : 'badge-mode'}`}
              >
                {delivery.state === 'SENT' ? 'Sent' : delivery.state === 'FAILED' ? 'Failed' : 'Retrying'}
              </span>
              <div className="muted small">
                {delivery.attempts === 1 ? '1 attempt' : `${delivery.attempts} attempts`}
                {delivery.lastError && <> · {delivery.lastError}</>}
                {delivery.state === 'PENDING' && <> · next {relativeTime(delivery.nextAttemptAt)}</>}
              </div>
            </td>
            <td title={absoluteTime(delivery.sentAt ?? delivery.createdAt)}>
              {relativeTime(delivery.sentAt ?? delivery.createdAt)}
            </td>
          </tr>
        )}
      </ListTable>
    </>
  );
}
