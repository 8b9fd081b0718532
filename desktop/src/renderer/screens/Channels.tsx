import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { NOTIFICATION_CHANNELS } from '../graphql/operations.js';
import { ChannelActions } from './ChannelActions.js';
import { ChannelForm } from './ChannelForm.js';
import { channelKinds } from './channel-kinds.js';
import { DeliveryLog } from './Deliveries.js';

export function Channels({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <ChannelsView hiveId={hiveId} />
    </HiveScope>
  );
}

function ChannelsView({ hiveId }: { hiveId: string }) {
  const { data, error } = useQuery(NOTIFICATION_CHANNELS);
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = data?.notificationChannels.find((c) => c.id === editingId);
  return (
    <>
      <header className="page-header">
        <h1>Notification channels</h1>
      </header>
      <ErrorText error={error} />
      <ListTable
        label="Notification channels"
        columns={['Name', 'Kind', 'Repositories', 'State']}
        actions
        rows={data?.notificationChannels}
        failed={error !== undefined}
        loading="Loading channels…"
        empty="No channels yet: alerts only show up here."
      >
        {(channel) => (
          <tr key={channel.id}>
            <th scope="row">{channel.name}</th>
            <td>{channelKinds[channel.kind].label}</td>
            <td>
              {channel.repositories.length === 0 ? 'All' : channel.repositories.map((r) => r.name).join(', ')}
            </td>
            <td>
              <span className={`badge ${channel.enabled ? 'badge-ok' : 'badge-mode'}`}>
                {channel.enabled ? 'Enabled' : 'Disabled'}
              </span>
            </td>
            <td className="cell-actions">
              <ChannelActions channel={channel} onEdit={() => setEditingId(channel.id)} />
            </td>
          </tr>
        )}
      </ListTable>
      {editing ? (
        <>
          <ChannelForm key={editing.id} channel={editing} onDone={() => setEditingId(null)} />
          <section aria-labelledby="channel-log-title">
            <h2 id="channel-log-title">Delivery log of {editing.name}</h2>
            <DeliveryLog hiveId={hiveId} channelId={editing.id} />
          </section>
        </>
      ) : (
        <ChannelForm />
      )}
    </>
  );
}
