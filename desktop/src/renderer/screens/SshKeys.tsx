import { useMutation, useQuery } from '@apollo/client/react';
import { type FormEvent } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { absoluteTime, relativeTime } from '../format.js';
import { ADD_SSH_KEY, DELETE_SSH_KEY, SSH_KEYS } from '../graphql/operations.js';
import { formText } from '../form-data.js';

export function SshKeys({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <KeysView />
    </HiveScope>
  );
}

function KeysView() {
  const { data, error } = useQuery(SSH_KEYS);
  const [add, adding] = useMutation(ADD_SSH_KEY, { refetchQueries: [SSH_KEYS] });
  const [remove, removing] = useMutation(DELETE_SSH_KEY, { refetchQueries: [SSH_KEYS] });

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const result = await add({
      variables: { name: formText(form, 'name').trim(), publicKey: formText(form, 'publicKey').trim() },
    }).catch(() => null);
    if (result?.data) formElement.reset();
  };

  const keys = data?.sshKeys ?? [];
  // "No keys yet" only once the hive said so: not while loading, not when it could not be asked.
  const known = data !== undefined;
  return (
    <>
      <header className="page-header">
        <h1>SSH keys</h1>
      </header>
      <ErrorText error={error ?? removing.error} />
      <form className="card form" onSubmit={(event) => void submit(event)} aria-labelledby="add-key-title">
        <h2 id="add-key-title">Add a key</h2>
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="laptop" />
        </label>
        <label>
          Public key
          <textarea
            name="publicKey"
            required
            rows={3}
            className="mono"
            placeholder="ssh-ed25519 AAAA… user@host"
          />
        </label>
        <ErrorText error={adding.error} />
        <div className="actions">
          <button type="submit" disabled={adding.loading}>
            {adding.loading ? 'Adding…' : 'Add key'}
          </button>
        </div>
      </form>
      {!known ? (
        !error && <p className="page-message">Loading keys…</p>
      ) : keys.length === 0 ? (
        <p className="empty">No keys yet.</p>
      ) : (
        <div className="card table-card">
          <table className="table" aria-label="SSH keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Fingerprint</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id}>
                  <th scope="row">
                    <span>{key.name}</span>
                    {key.comment && <div className="muted small">{key.comment}</div>}
                  </th>
                  <td>
                    {key.type}
                    {key.bits ? ` · ${key.bits}` : ''}
                  </td>
                  <td className="mono small">{key.fingerprint}</td>
                  <td title={absoluteTime(key.lastUsedAt)}>{relativeTime(key.lastUsedAt)}</td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button-danger"
                      aria-label={`Delete key ${key.name}`}
                      disabled={removing.loading}
                      onClick={() => {
                        if (window.confirm(`Delete key “${key.name}”?`))
                          void remove({ variables: { id: key.id } }).catch(() => {});
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
