import { useState, type FormEvent } from 'react';
import type { BorgHiveApi } from '../../shared/api.js';
import { errorMessage } from '../components/ErrorText.js';
import { useHives } from '../hives/hive-connection.js';
import { formText } from '../form-data.js';

type SignInMethod = 'browser' | 'password' | 'token';

/** Not an error: the hive asked for the second factor, and the form now shows the code field. */
class SecondStep extends Error {}

/**
 * Desktop only: the hives this app watches, each with its desktop-notification switch (off: the tray still
 * lists its problems). Tokens go straight to main, which stores them encrypted.
 */
export function HiveList({ bridge, onChanged }: { bridge: BorgHiveApi; onChanged: () => Promise<void> }) {
  const hives = useHives();
  const [error, setError] = useState<string | null>(null);
  const [method, setMethod] = useState<SignInMethod>('browser');
  /** The hive's question for the second factor of a password sign-in (null: not asked). */
  const [otpAsked, setOtpAsked] = useState<string | null>(null);
  const [waiting, setWaiting] = useState(false);

  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await action();
      await onChanged();
      return true;
    } catch (cause) {
      if (!(cause instanceof SecondStep)) setError(errorMessage(cause));
      return false;
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const hive = { name: formText(form, 'name'), url: formText(form, 'url') };
    let saved: boolean;
    if (method === 'token') {
      saved = await run(() => bridge.saveHive({ ...hive, token: formText(form, 'token') }));
    } else if (method === 'browser') {
      setWaiting(true);
      saved = await run(() => bridge.signInWithBrowser(hive));
      setWaiting(false);
    } else {
      const otp = otpAsked === null ? undefined : formText(form, 'otp').trim();
      saved = await run(async () => {
        const answer = await bridge.signInWithPassword({
          ...hive,
          username: formText(form, 'username'),
          password: formText(form, 'password'),
          ...(otp ? { otp } : {}),
        });
        if (answer.otpRequired) {
          setOtpAsked(answer.message);
          throw new SecondStep();
        }
      });
    }
    if (saved) {
      formElement.reset();
      setOtpAsked(null);
    }
  };

  return (
    <>
      <header className="page-header">
        <h1>Hives</h1>
      </header>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <ul className="card plain-list hive-list" aria-label="Hives">
        {hives.length === 0 && <li className="muted">No hives yet.</li>}
        {hives.map(({ hive }) => (
          <li key={hive.id}>
            <div>
              <strong>{hive.name}</strong>
              <div className="muted mono small">{hive.url}</div>
              <label className="check small">
                <input
                  type="checkbox"
                  checked={hive.notify !== false}
                  onChange={(event) => {
                    const notify = event.target.checked;
                    void run(() => bridge.saveHive({ id: hive.id, name: hive.name, url: hive.url, notify }));
                  }}
                />{' '}
                Desktop notifications
              </label>
            </div>
            <button
              type="button"
              className="button-danger"
              aria-label={`Remove hive ${hive.name}`}
              onClick={() => void run(() => bridge.removeHive(hive.id))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="add-hive-title">
        <h2 id="add-hive-title">Add a hive</h2>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="Office" />
        </label>
        <label>
          URL
          <input name="url" type="url" required placeholder="https://hive.example.com" />
        </label>
        <fieldset>
          <legend>Sign in with</legend>
          {(
            [
              ['browser', 'Single sign-on, in your browser'],
              ['password', 'User name and password'],
              ['token', 'An API token'],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check">
              <input
                type="radio"
                name="method"
                value={value}
                checked={method === value}
                onChange={() => {
                  setMethod(value);
                  setOtpAsked(null);
                }}
              />
              {label}
            </label>
          ))}
        </fieldset>
        {method === 'browser' && (
          <p className="hint" id="browser-hint">
            Your browser opens the hive’s sign-in page; come back here when it says you are signed in.
          </p>
        )}
        {method === 'password' && (
          <>
            <label>
              Username
              <input name="username" required autoComplete="username" readOnly={otpAsked !== null} />
            </label>
            <label>
              Password
              <input
                name="password"
                type="password"
                required
                autoComplete="current-password"
                readOnly={otpAsked !== null}
              />
            </label>
            {otpAsked !== null && (
              <label>
                Code from your authenticator app (or a recovery code)
                <input
                  name="otp"
                  autoComplete="one-time-code"
                  required
                  autoFocus
                  aria-describedby="otp-hint"
                />
                <span id="otp-hint" className="hint">
                  {otpAsked}
                </span>
              </label>
            )}
          </>
        )}
        {method === 'token' && (
          <label>
            API token
            <input name="token" type="password" required autoComplete="off" aria-describedby="token-hint" />
            <span id="token-hint" className="hint">
              Create one with createApiToken (scope READ_ONLY or FULL) in the hive’s web console.
            </span>
          </label>
        )}
        {waiting && (
          <p role="status" className="notice">
            Waiting for the sign-in in your browser…
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={waiting}>
            {method === 'browser'
              ? 'Sign in in the browser'
              : method === 'password'
                ? otpAsked === null
                  ? 'Sign in'
                  : 'Confirm code'
                : 'Add hive'}
          </button>
        </div>
      </form>
    </>
  );
}
