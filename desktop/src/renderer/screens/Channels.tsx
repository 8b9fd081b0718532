import { useQuery } from '@apollo/client/react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
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
  const channels = data?.notificationChannels ?? [];
  return (
    <>
      <header className="page-header">
        <h1>Notification channels</h1>
      </header>
      <ErrorText error={error} />
      {channels.length === 0 ? (
        <p className="empty">No channels yet: alerts only show up here.</p>
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="Notification channels">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {channels.map((channel) => (
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
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ChannelForm />
    </>
  );
}
