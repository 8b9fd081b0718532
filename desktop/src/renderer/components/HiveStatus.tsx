import { describeConnection } from '../hives/connection-state.js';
import { useConnectionState, useHives, useNow, type HiveConnection } from '../hives/hive-connection.js';

const clock = (ms: number): string => new Date(ms).toLocaleTimeString();

/** The link to one hive in a few words, with a dot whose colour repeats it (the words carry it). */
export function HiveStatus({ connection }: { connection: HiveConnection }) {
  const state = useConnectionState(connection);
  const now = useNow(state.kind === 'offline');
  return (
    <span className={`hive-status hive-status-${state.kind}`} data-testid="hive-status">
      <span className="hive-status-dot" aria-hidden="true" />
      {describeConnection(state, now, clock)}
    </span>
  );
}

/** Above every screen: which hives are away, so nothing on the page passes for current. */
export function HiveBanners() {
  return (
    <>
      {useHives().map((connection) => (
        <HiveBanner key={connection.hive.id} connection={connection} />
      ))}
    </>
  );
}

function HiveBanner({ connection }: { connection: HiveConnection }) {
  const state = useConnectionState(connection);
  const now = useNow(state.kind === 'offline');
  if (state.kind === 'connected' || state.kind === 'connecting') return null;
  return (
    <p role="status" className="banner banner-offline" data-testid="hive-offline">
      <strong>{connection.hive.name}</strong>: {describeConnection(state, now, clock)}. Its repositories show
      their last known state.
    </p>
  );
}
