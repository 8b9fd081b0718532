import { useMemo, useState, type FormEvent } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { LOGIN } from '../graphql/operations.js';
import { createHiveClient } from '../hives/create-client.js';
import { formText } from '../form-data.js';

/** Web console sign-in: `login(username, password)` gives the token kept for this tab. */
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

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { data } = await client.mutate({
        mutation: LOGIN,
        variables: { username: formText(form, 'username'), password: formText(form, 'password') },
      });
      if (data) onToken(data.login.token, form.get('remember') === 'on');
    } catch (cause) {
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
      </form>
    </main>
  );
}
