import type { ApolloClient } from '@apollo/client';
import { useState } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import {
  LOGIN_WITH_PASSKEY,
  LOGIN_WITH_PASSKEY_FACTOR,
  PASSKEY_SIGN_IN_OPTIONS,
} from '../graphql/passkey-operations.js';
import { passkeysAvailable, signWithPasskey } from '../passkey-browser.js';

type Json = Readonly<Record<string, unknown>>;

/** The passkey challenge a hive's otpRequired answer carries, when the account has passkeys. */
export function passkeyOptionsOf(extensions: Json | undefined): Json | null {
  const options = extensions?.['passkeyOptions'];
  return options && typeof options === 'object' ? (options as Json) : null;
}

interface Props {
  client: ApolloClient;
  onToken: (token: string) => void;
  onError: (message: string | null) => void;
}

/** "Sign in with a passkey": no user name, no password; the browser offers the passkeys it holds for the hive. */
export function PasskeySignInButton({ client, onToken, onError }: Props) {
  const [busy, setBusy] = useState(false);
  if (!passkeysAvailable()) return null;
  const signIn = async () => {
    setBusy(true);
    onError(null);
    try {
      const options = (await client.mutate({ mutation: PASSKEY_SIGN_IN_OPTIONS })).data?.passkeySignInOptions;
      if (!options) return;
      const response = await signWithPasskey(options);
      const { data } = await client.mutate({ mutation: LOGIN_WITH_PASSKEY, variables: { response } });
      if (data) onToken(data.loginWithPasskey.token);
    } catch (cause) {
      onError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" className="button-secondary" disabled={busy} onClick={() => void signIn()}>
      {busy ? 'Waiting for the passkey…' : 'Sign in with a passkey'}
    </button>
  );
}

/** The second step with a passkey instead of a code: the password again, and the passkey's signature. */
export async function passkeyFactorLogin(
  client: ApolloClient,
  username: string,
  password: string,
  options: Json,
): Promise<string | null> {
  const passkey = await signWithPasskey(options);
  const { data } = await client.mutate({
    mutation: LOGIN_WITH_PASSKEY_FACTOR,
    variables: { username, password, passkey },
  });
  return data?.login.token ?? null;
}
