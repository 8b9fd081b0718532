import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMemo, useState, type FormEvent } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { LOGIN } from '../graphql/operations.js';
import { createHiveClient } from '../hives/create-client.js';
import { formText } from '../form-data.js';
import { OidcSignIn } from './OidcSignIn.js';

/** True when the hive answered that this account also needs a TOTP or recovery code. */
function otpRequired(error: unknown): boolean {
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['otpRequired'] === true);
}

/**
 * Web console sign-in: `login(username, password)` gives the token kept for this tab; an account with
 * TOTP is asked for its code in a second step (the password fields stay filled).
 */
interface Props {
  baseUrl: string;
  /** Why the form is shown again (e.g. the session ended), until the next attempt. */
  notice?: string | null;
  onToken: (token: string, remember: boolean) => void;
}

export function Login({ baseUrl, notice, onToken }: Props) {
  const client = useMemo(() => createHiveClient(baseUrl, null), [baseUrl]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [askCode, setAskCode] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { data } = await client.mutate({
        mutation: LOGIN,
        variables: {
          username: formText(form, 'username'),
          password: formText(form, 'password'),
          otp: askCode ? formText(form, 'otp').trim() : null,
        },
      });
      if (data) onToken(data.login.token, form.get('remember') === 'on');
    } catch (cause) {
      if (otpRequired(cause) && !askCode) {
        setAskCode(true);
        return;
      }
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form
        className="card login-card"
        onSubmit={(event) => void submit(event)}
        aria-labelledby="login-title"
      >
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true">
            ⬢
          </span>{' '}
          Borg Hive
        </div>
        <h1 id="login-title">Sign in</h1>
        {notice && !error && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <label>
          Username
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {askCode && (
          <label>
            Code from your authenticator app (or a recovery code)
            <input name="otp" autoComplete="one-time-code" inputMode="text" required autoFocus />
          </label>
        )}
        <label className="check">
          <input type="checkbox" name="remember" /> Remember on this device
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <OidcSignIn client={client} onToken={onToken} />
      </form>
    </main>
  );
}
