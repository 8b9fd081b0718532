import { useMemo, useState } from 'react';
import { createHiveClient } from './hives/create-client.js';
import type { HiveConnection } from './hives/hive-connection.js';
import { readSessionToken, writeSessionToken } from './hives/web-session.js';
import { Login } from './screens/Login.js';
import { Shell } from './Shell.js';

/** The web console: one hive, the page's own origin, signed in with a username and password. */
export function WebConsole() {
  const [token, setToken] = useState(readSessionToken);
  const origin = window.location.origin;
  const hives = useMemo<readonly HiveConnection[]>(
    () => (token ? [{ hive: { id: 'local', name: window.location.host, url: origin }, client: createHiveClient(origin, token) }] : []),
    [token, origin],
  );
  const signIn = (next: string | null): void => {
    writeSessionToken(next);
    setToken(next);
  };
  if (!token) return <Login baseUrl={origin} onToken={signIn} />;
  return <Shell hives={hives} onSignOut={() => signIn(null)} />;
}
