import { useCallback, useEffect, useState } from 'react';
import type { BorgHiveApi } from '../shared/api.js';
import { ConnectionMonitor } from './hives/connection-state.js';
import { createHiveClient } from './hives/create-client.js';
import { DesktopSignals } from './hives/DesktopSignals.js';
import type { HiveConnection } from './hives/hive-connection.js';
import { Shell } from './Shell.js';

/** The desktop app: every hive from main's store, each with its own client and token. */
export function DesktopApp({ bridge }: { bridge: BorgHiveApi }) {
  const [hives, setHives] = useState<readonly HiveConnection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Hives whose stored token was refused: the user fixes it under "Manage hives".
  const [rejected, setRejected] = useState<ReadonlySet<string>>(() => new Set());

  const load = useCallback(async () => {
    try {
      const list = await bridge.listHives();
      const connections = await Promise.all(
        list.map(async (hive) => {
          const status = new ConnectionMonitor();
          const client = createHiveClient(hive.url, await bridge.getToken(hive.id), {
            onUnauthenticated: () => setRejected((previous) => new Set(previous).add(hive.id)),
            monitor: status,
          });
          return { hive, client, status };
        }),
      );
      setRejected(new Set());
      setHives((previous) => {
        previous?.forEach((connection) => connection.client.stop());
        return connections;
      });
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    }
  }, [bridge]);

  useEffect(() => {
    void load();
  }, [load]);

  if (error)
    return (
      <p role="alert" className="error page-message">
        Could not load hives: {error}
      </p>
    );
  if (!hives) return <p className="page-message">Loading…</p>;
  const notices = hives
    .filter(({ hive }) => rejected.has(hive.id))
    .map(({ hive }) => `${hive.name} refused the stored token: enter a new one under “Manage hives”.`);
  return (
    <>
      {hives.map((connection) => (
        <DesktopSignals key={connection.hive.id} connection={connection} bridge={bridge} />
      ))}
      <Shell hives={hives} bridge={bridge} notices={notices} onHivesChanged={load} />
    </>
  );
}
