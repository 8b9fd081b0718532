import { useState, type FormEvent } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { HiveStatus } from '../components/HiveStatus.js';
import { formText } from '../form-data.js';
import { LOGIN } from '../graphql/operations.js';
import { createHiveClient } from '../hives/create-client.js';
import { useHives } from '../hives/hive-connection.js';
import { otpRequired } from './second-factor.js';
import { normaliseHiveUrl, type WebHiveStore } from '../hives/web-hives.js';

interface Props {
  store: WebHiveStore;
  /** The console's own hive: always there, signed out with "Sign out". */
  ownId: string;
  onChanged: () => void;
}

/** Web console: more hives beside its own, each signed in with its own username and password. */
export function WebHiveList({ store, ownId, onChanged }: Props) {
  const hives = useHives();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The other hive asked for this account's second factor: the form shows the code field. */
  const [codeAsked, setCodeAsked] = useState(false);

  // an edited user name or password starts over: the code was asked for those
  const restart = (): void => setCodeAsked(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setError(null);
    setBusy(true);
    try {
      const url = normaliseHiveUrl(formText(form, 'url'));
      const client = createHiveClient(url, null);
      const { data } = await client
        .mutate({
          mutation: LOGIN,
          variables: {
            username: formText(form, 'username'),
            password: formText(form, 'password'),
            otp: codeAsked ? formText(form, 'otp').trim() : null,
          },
        })
        .finally(() => client.stop());
      if (!data) throw new Error('The hive sent no session.');
      store.save({
        id: crypto.randomUUID().slice(0, 8),
        name: formText(form, 'name').trim() || new URL(url).host,
        url,
        token: data.login.token,
        remember: form.get('remember') === 'on',
      });
      formElement.reset();
      setCodeAsked(false);
      onChanged();
    } catch (cause) {
      const asked = otpRequired(cause);
      if (asked && !codeAsked && asked['totp'] !== false) {
        setCodeAsked(true);
        return;
      }
      if (asked && asked['totp'] === false) {
        setError(
          'This account confirms its sign-in with a passkey, which works only on its own hive’s page: turn on TOTP for it there (Security), or add the hive with another account.',
        );
        return;
      }
      const message = errorMessage(cause);
      // The browser says only "Failed to fetch" for an unreachable hive and for one our CSP refuses.
      setError(
        /failed to fetch/i.test(message)
          ? `${message}: the hive is unreachable, or not listed in this hive’s BORGHIVE_CONSOLE_HIVES.`
          : message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="page-header">
        <h1>Hives</h1>
      </header>
      <ul className="card plain-list hive-list" aria-label="Hives">
        {hives.map((connection) => (
          <li key={connection.hive.id}>
            <div>
              <strong>{connection.hive.name}</strong>
              {connection.hive.id === ownId && <span className="muted"> (this console’s hive)</span>}
              <div className="muted mono small">{connection.hive.url}</div>
              <HiveStatus connection={connection} />
            </div>
            {connection.hive.id !== ownId && (
              <button
                type="button"
                className="button-danger"
                aria-label={`Remove hive ${connection.hive.name}`}
                onClick={() => {
                  store.remove(connection.hive.id);
                  onChanged();
                }}
              >
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="add-hive-title">
        <h2 id="add-hive-title">Add a hive</h2>
        <label>
          Name
          <input name="name" maxLength={100} placeholder="Office" />
        </label>
        <label>
          URL
          <input name="url" type="url" required placeholder="https://hive.example.com" />
        </label>
        <label>
          Username
          <input name="username" required autoComplete="off" onChange={restart} />
        </label>
        <label>
          Password
          <input name="password" type="password" required autoComplete="off" onChange={restart} />
        </label>
        {codeAsked && (
          <label>
            Code from your authenticator app (or a recovery code)
            <input name="otp" autoComplete="one-time-code" required autoFocus />
          </label>
        )}
        <label className="check">
          <input type="checkbox" name="remember" /> Remember on this device
        </label>
        <p className="hint">
          Not remembered, the sign-in lasts as long as this tab. Remembered, it is kept in this browser’s
          storage until you remove the hive.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : codeAsked ? 'Confirm code' : 'Add hive'}
          </button>
        </div>
      </form>
    </>
  );
}
