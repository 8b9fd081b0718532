import { useQuery } from '@apollo/client/react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { NOTIFICATION_CHANNELS } from '../graphql/operations.js';
import { ChannelActions } from './ChannelActions.js';
import { ChannelForm } from './ChannelForm.js';
import { channelKinds } from './channel-kinds.js';

export function Channels({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <ChannelsView />
    </HiveScope>
  );
}

function ChannelsView() {
  const { data, error } = useQuery(NOTIFICATION_CHANNELS);
  return (
    <>
      <header className="page-header">
        <h1>Notification channels</h1>
      </header>
      <ErrorText error={error} />
      <ListTable
        label="Notification channels"
        columns={['Name', 'Kind', 'State']}
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
              <span className={`badge ${channel.enabled ? 'badge-ok' : 'badge-mode'}`}>
                {channel.enabled ? 'Enabled' : 'Disabled'}
              </span>
            </td>
            <td className="cell-actions">
              <ChannelActions id={channel.id} name={channel.name} />
            </td>
          </tr>
        )}
      </ListTable>
      <ChannelForm />
    </>
  );
}
