import { useCallback, useMemo, useState } from 'react';
import { LOGOUT } from './graphql/operations.js';
import { ConnectionMonitor } from './hives/connection-state.js';
import { createHiveClient } from './hives/create-client.js';
import type { HiveConnection } from './hives/hive-connection.js';
import { readSessionToken, writeSessionToken } from './hives/web-session.js';
import { WebHiveStore } from './hives/web-hives.js';
import { Login } from './screens/Login.js';
import { Shell } from './Shell.js';

const OWN_ID = 'local';

/**
 * The web console: the page's own hive, signed in with a username and password, plus any other hives
 * the user added (each with its own token, see web-hives.ts).
 */
export function WebConsole() {
  const [token, setToken] = useState(readSessionToken);
  const [notice, setNotice] = useState<string | null>(null);
  const store = useMemo(() => new WebHiveStore(localStorage, sessionStorage), []);
  const [extras, setExtras] = useState(() => store.list());
  const origin = window.location.origin;
  const signIn = useCallback((next: string | null, remember = false): void => {
    writeSessionToken(next, remember);
    setToken(next);
  }, []);
  // The hive refused the token (expired, revoked, signed out elsewhere): back to the sign-in form.
  const expired = useCallback((): void => {
    signIn(null);
    setNotice('Your session has ended. Please sign in again.');
  }, [signIn]);
  const hives = useMemo<readonly HiveConnection[]>(() => {
    if (!token) return [];
    const connect = (hive: HiveConnection['hive'], secret: string, onUnauthenticated?: () => void) => {
      const status = new ConnectionMonitor();
      return {
        hive,
        status,
        client: createHiveClient(hive.url, secret, { onUnauthenticated, monitor: status }),
      };
    };
    return [
      connect({ id: OWN_ID, name: window.location.host, url: origin }, token, expired),
      // Another hive refusing its token shows as "signed out" on that hive; the console stays.
      ...extras.map(({ id, name, url, token: secret }) => connect({ id, name, url }, secret)),
    ];
  }, [token, origin, expired, extras]);
  const signOut = async (): Promise<void> => {
    // Ends the session on the server too; the tab forgets the token whatever the answer.
    await hives[0]?.client.mutate({ mutation: LOGOUT }).catch(() => null);
    setNotice(null);
    signIn(null);
  };
  if (!token) return <Login baseUrl={origin} notice={notice} onToken={signIn} />;
  return (
    <Shell
      hives={hives}
      onSignOut={() => void signOut()}
      web={{ store, ownId: OWN_ID, onChanged: () => setExtras(store.list()) }}
    />
  );
}
