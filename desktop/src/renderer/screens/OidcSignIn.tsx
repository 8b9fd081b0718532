import type { ApolloClient } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useEffect, useState } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { COMPLETE_OIDC_SIGN_IN, OIDC_PROVIDER } from '../graphql/oidc-operations.js';
import { startUrl, takeReturn } from '../oidc/oidc-return.js';

interface Props {
  client: ApolloClient;
  onToken: (token: string, remember: boolean) => void;
}

/**
 * "Sign in with <provider>" on the sign-in page when the hive has OpenID Connect, with the reason when the
 * provider does not answer; on the way back it exchanges the hive's one-time code for the session.
 */
export function OidcSignIn({ client, onToken }: Props) {
  const { data } = useQuery(OIDC_PROVIDER, { client, fetchPolicy: 'network-only' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const back = takeReturn(window.location.hash, sessionStorage);
    if (back === null) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    if ('error' in back) {
      setError(back.error);
      return;
    }
    setBusy(true);
    client
      .mutate({
        mutation: COMPLETE_OIDC_SIGN_IN,
        variables: { code: back.code, codeVerifier: back.verifier },
      })
      .then(({ data: done }) => {
        if (done) onToken(done.completeOidcSignIn.token, false);
      })
      .catch((cause: unknown) => setError(errorMessage(cause)))
      .finally(() => setBusy(false));
  }, [client, onToken]);

  const provider = data?.oidcProvider;
  if (!provider && !error) return null;
  const start = async (): Promise<void> => {
    if (!provider) return;
    setBusy(true);
    try {
      window.location.assign(await startUrl(provider.startPath, sessionStorage));
    } catch (cause) {
      setError(`this browser cannot start the sign-in here (${errorMessage(cause)}); use https`);
      setBusy(false);
    }
  };
  return (
    <div className="oidc-sign-in">
      {provider && (
        <button
          type="button"
          className="button-secondary"
          disabled={busy || !provider.available}
          onClick={() => void start()}
        >
          Sign in with {provider.name}
        </button>
      )}
      {provider && !provider.available && (
        <p role="status" className="notice">
          {provider.message ?? `${provider.name} does not answer.`}{' '}
          {provider.passwordForAdminsOnly
            ? 'Administrators can sign in with their password.'
            : 'You can still sign in with your password.'}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </div>
  );
}
