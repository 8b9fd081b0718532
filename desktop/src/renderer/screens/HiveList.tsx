import { useState, type FormEvent } from 'react';
import type { BorgHiveApi } from '../../shared/api.js';
import { errorMessage } from '../components/ErrorText.js';
import { useHives } from '../hives/hive-connection.js';
import { formText } from '../form-data.js';

/**
 * Desktop only: the hives this app watches, each with its desktop-notification switch (off: the tray still
 * lists its problems). Tokens go straight to main, which stores them encrypted.
 */
export function HiveList({ bridge, onChanged }: { bridge: BorgHiveApi; onChanged: () => Promise<void> }) {
  const hives = useHives();
  const [error, setError] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setError(null);
    try {
      await action();
      await onChanged();
      return true;
    } catch (cause) {
      setError(errorMessage(cause));
      return false;
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const saved = await run(() =>
      bridge.saveHive({
        name: formText(form, 'name'),
        url: formText(form, 'url'),
        token: formText(form, 'token'),
      }),
    );
    if (saved) formElement.reset();
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
        <label>
          API token
          <input name="token" type="password" required autoComplete="off" aria-describedby="token-hint" />
          <span id="token-hint" className="hint">
            Create one with createApiToken (scope READ_ONLY or FULL) in the hive’s web console.
          </span>
        </label>
        <div className="actions">
          <button type="submit">Add hive</button>
        </div>
      </form>
    </>
  );
}
