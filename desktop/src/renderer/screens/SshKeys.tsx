import { useMutation, useQuery } from '@apollo/client/react';
import { DeleteButton } from '../components/DeleteButton.js';
import { ErrorText } from '../components/ErrorText.js';
import { Field, FieldFrame, FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { submitForm } from '../components/submit-form.js';
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
  const problems = formProblems(adding.error, ['name', 'publicKey']);

  const submit = submitForm((form) =>
    add({
      variables: { name: formText(form, 'name').trim(), publicKey: formText(form, 'publicKey').trim() },
    }),
  );

  return (
    <>
      <header className="page-header">
        <h1>SSH keys</h1>
      </header>
      <ErrorText error={error ?? removing.error} />
      <form className="card form" onSubmit={submit} aria-labelledby="add-key-title">
        <h2 id="add-key-title">Add a key</h2>
        <Field label="Name" name="name" problems={problems} required maxLength={100} placeholder="laptop" />
        <FieldFrame label="Public key" name="publicKey" problems={problems}>
          {(control) => (
            <textarea
              {...control}
              required
              rows={3}
              className="mono"
              placeholder="ssh-ed25519 AAAA… user@host"
            />
          )}
        </FieldFrame>
        <FormError problems={problems} />
        <div className="actions">
          <button type="submit" disabled={adding.loading}>
            {adding.loading ? 'Adding…' : 'Add key'}
          </button>
        </div>
      </form>
      <ListTable
        label="SSH keys"
        columns={['Name', 'Type', 'Fingerprint', 'Last used']}
        actions
        rows={data?.sshKeys}
        failed={error !== undefined}
        loading="Loading keys…"
        empty="No keys yet."
      >
        {(key) => (
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
              <DeleteButton
                label={`Delete key ${key.name}`}
                confirm={`Delete key “${key.name}”?`}
                busy={removing.loading}
                onConfirmed={() => void remove({ variables: { id: key.id } }).catch(() => {})}
              />
            </td>
          </tr>
        )}
      </ListTable>
    </>
  );
}
