import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { ErrorText, errorMessage } from '../components/ErrorText.js';
import { absoluteTime, relativeTime } from '../format.js';
import { formText } from '../form-data.js';
import {
  DELETE_PASSKEY,
  FINISH_PASSKEY_REGISTRATION,
  PASSKEYS,
  RENAME_PASSKEY,
  START_PASSKEY_REGISTRATION,
} from '../graphql/passkey-operations.js';
import { SECURITY } from '../graphql/security-operations.js';
import { createPasskey, passkeysAvailable } from '../passkey-browser.js';

/** Your passkeys: add one (it becomes a second factor and signs in without a password), rename, delete. */
export function PasskeysCard() {
  const { data, error } = useQuery(PASSKEYS);
  const refetchQueries = [PASSKEYS, SECURITY];
  const [start] = useMutation(START_PASSKEY_REGISTRATION);
  const [finish] = useMutation(FINISH_PASSKEY_REGISTRATION, { refetchQueries });
  const [rename, renaming] = useMutation(RENAME_PASSKEY, { refetchQueries });
  const [remove, removing] = useMutation(DELETE_PASSKEY, { refetchQueries });
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);

  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = formText(new FormData(form), 'name').trim();
    setBusy(true);
    setProblem(null);
    setAdded(false);
    try {
      const options = (await start()).data?.startPasskeyRegistration;
      if (!options) return;
      const response = await createPasskey(options);
      await finish({ variables: { name, response } });
      setAdded(true);
      form.reset();
    } catch (cause) {
      setProblem(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title">Passkeys</h2>
      <ErrorText error={error ?? renaming.error ?? removing.error} />
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {added && (
        <p role="status" className="notice">
          Passkey added; your other sessions ended.
        </p>
      )}
      {data && data.passkeys.length === 0 && <p>None: a passkey signs you in without a password.</p>}
      {data && data.passkeys.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Added</th>
              <th>Last use</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data.passkeys.map((p) => (
              <tr key={p.id} data-testid="passkey-row">
                <td>
                  {p.name}
                  {p.backedUp ? ' (synced)' : ''}
                </td>
                <td title={absoluteTime(p.createdAt)}>{relativeTime(p.createdAt)}</td>
                <td title={absoluteTime(p.lastUsedAt)}>{relativeTime(p.lastUsedAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => {
                      const name = window.prompt('New name of the passkey', p.name);
                      if (name) void rename({ variables: { id: p.id, name } }).catch(() => null);
                    }}
                  >
                    Rename
                  </button>{' '}
                  <button
                    type="button"
                    className="button-secondary"
                    aria-label={`Delete passkey ${p.name}`}
                    onClick={() => void remove({ variables: { id: p.id } }).catch(() => null)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {passkeysAvailable() ? (
        <form className="form" onSubmit={(e) => void add(e)}>
          <label>
            Name of the new passkey
            <input name="name" required maxLength={100} defaultValue="" placeholder="e.g. laptop" />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Waiting for the passkey…' : 'Add a passkey'}
          </button>
          <p className="hint">Adding one signs you out everywhere else.</p>
        </form>
      ) : (
        <p className="hint">Passkeys are added in the web console (a browser), not in this app.</p>
      )}
    </section>
  );
}
