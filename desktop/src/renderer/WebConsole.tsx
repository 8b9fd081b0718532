import { useCallback, useMemo, useState } from 'react';
import { LOGOUT } from './graphql/operations.js';
import { ConnectionMonitor } from './hives/connection-state.js';
import { createHiveClient } from './hives/create-client.js';
import type { HiveConnection } from './hives/hive-connection.js';
import { readSessionToken, writeSessionToken } from './hives/web-session.js';
import { Login } from './screens/Login.js';
import { Shell } from './Shell.js';

/** The web console: one hive, the page's own origin, signed in with a username and password. */
export function WebConsole() {
  const [token, setToken] = useState(readSessionToken);
  const [notice, setNotice] = useState<string | null>(null);
  const origin = window.location.origin;
  const signIn = useCallback((next: string | null): void => {
    writeSessionToken(next);
    setToken(next);
  }, []);
  // The hive refused the token (expired, revoked, signed out elsewhere): back to the sign-in form.
  const expired = useCallback((): void => {
    signIn(null);
    setNotice('Your session has ended. Please sign in again.');
  }, [signIn]);
  const hives = useMemo<readonly HiveConnection[]>(() => {
    if (!token) return [];
    const status = new ConnectionMonitor();
    return [
      {
        hive: { id: 'local', name: window.location.host, url: origin },
        client: createHiveClient(origin, token, { onUnauthenticated: expired, monitor: status }),
        status,
      },
    ];
  }, [token, origin, expired]);
  const signOut = async (): Promise<void> => {
    // Ends the session on the server too; the tab forgets the token whatever the answer.
    await hives[0]?.client.mutate({ mutation: LOGOUT }).catch(() => null);
    setNotice(null);
    signIn(null);
  };
  if (!token) return <Login baseUrl={origin} notice={notice} onToken={signIn} />;
  return <Shell hives={hives} onSignOut={() => void signOut()} />;
}
