import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { DeleteButton } from '../components/DeleteButton.js';
import { Field, FieldFrame, FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { submitForm } from '../components/submit-form.js';
import { absoluteTime, relativeTime } from '../format.js';
import { CREATE_LOCATION, DELETE_LOCATION, LOCATIONS, UPDATE_LOCATION } from '../graphql/admin-operations.js';
import { formText } from '../form-data.js';

/** Admin: the storage nodes repositories live on, with the host keys clients should expect. */
export function Locations({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <LocationsView />
    </HiveScope>
  );
}

function LocationsView() {
  const { data, error } = useQuery(LOCATIONS);
  const [create, creating] = useMutation(CREATE_LOCATION, { refetchQueries: [LOCATIONS] });
  const [update, updating] = useMutation(UPDATE_LOCATION, { refetchQueries: [LOCATIONS] });
  const [remove, removing] = useMutation(DELETE_LOCATION, { refetchQueries: [LOCATIONS] });
  const [editing, setEditing] = useState<string | null>(null);
  const edited = data?.locations.find((l) => l.id === editing);
  return (
    <>
      <header className="page-header">
        <h1>Storage locations</h1>
      </header>
      <ErrorText error={error ?? removing.error} />
      {edited ? (
        <LocationForm
          key={edited.id}
          title={`Edit ${edited.name}`}
          initial={edited}
          busy={updating.loading}
          error={updating.error}
          submitLabel="Save location"
          onSave={async (fields) => {
            const result = await update({ variables: { id: edited.id, ...fields } });
            if (result.data) setEditing(null);
            return result;
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <LocationForm
          title="New location"
          busy={creating.loading}
          error={creating.error}
          submitLabel="Create location"
          onSave={(fields) => create({ variables: fields })}
        />
      )}
      <ListTable
        label="Storage locations"
        columns={['Location', 'Address', 'Host key fingerprints', 'Agent']}
        actions
        rows={data?.locations}
        failed={error !== undefined}
        loading="Loading locations…"
        empty="No locations yet."
      >
        {(location) => (
          <tr key={location.id}>
            <th scope="row">
              {location.name} {location.isDefault && <span className="badge badge-mode">default</span>}
            </th>
            <td className="mono small">
              {location.sshHost}:{location.sshPort}
            </td>
            <td className="mono small">
              <HostKeyFingerprints fingerprints={location.hostKeyFingerprints} />
            </td>
            <td title={absoluteTime(location.agentSeenAt)}>
              {location.agentSeenAt ? `seen ${relativeTime(location.agentSeenAt)}` : 'the hive watches it'}
            </td>
            <td className="cell-actions">
              <button
                type="button"
                className="button-secondary"
                aria-label={`Edit location ${location.name}`}
                onClick={() => setEditing(location.id)}
              >
                Edit
              </button>
              {!location.isDefault && (
                <DeleteButton
                  label={`Delete location ${location.name}`}
                  confirm={`Delete location “${location.name}”?`}
                  busy={removing.loading}
                  onConfirmed={() => void remove({ variables: { id: location.id } }).catch(() => {})}
                />
              )}
            </td>
          </tr>
        )}
      </ListTable>
    </>
  );
}

interface LocationFields {
  name: string;
  sshHost: string;
  sshPort: number;
  isDefault: boolean;
}

/** What an edit also shows and sets: the storage node's host keys (a new location gets them on its first edit). */
interface StoredLocation extends LocationFields {
  hostKeys: readonly string[];
  hostKeyFingerprints: readonly string[];
}

interface SavedFields extends LocationFields {
  /** one `.pub` line each; only when editing */
  hostKeys?: string[];
}

interface FormProps {
  title: string;
  initial?: StoredLocation;
  busy: boolean;
  error: unknown;
  submitLabel: string;
  onSave: (fields: SavedFields) => Promise<{ data?: unknown }>;
  onCancel?: () => void;
}

/**
 * A location's name, address and default flag, and when editing its host keys; the hive's problems show
 * at their fields.
 */
function LocationForm({ title, initial, busy, error, submitLabel, onSave, onCancel }: FormProps) {
  const problems = formProblems(error, ['name', 'sshHost', 'sshPort', 'isDefault', 'hostKeys']);
  const titleId = useId();
  const fingerprintsId = useId();
  const submit = submitForm((form) =>
    onSave({
      name: formText(form, 'name').trim(),
      sshHost: formText(form, 'sshHost').trim(),
      sshPort: Number(formText(form, 'sshPort') || '22'),
      isDefault: form.get('isDefault') === 'on',
      ...(initial && {
        hostKeys: formText(form, 'hostKeys')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== ''),
      }),
    }),
  );
  return (
    <form className="card form" onSubmit={submit} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      <div className="grid-2">
        <Field
          label="Name"
          name="name"
          problems={problems}
          required
          maxLength={100}
          placeholder="rack-2"
          defaultValue={initial?.name}
        />
        <Field
          label="SSH host"
          name="sshHost"
          problems={problems}
          required
          placeholder="backup2.example.com"
          defaultValue={initial?.sshHost}
        />
        <Field
          label="SSH port"
          name="sshPort"
          type="number"
          problems={problems}
          defaultValue={initial?.sshPort ?? 22}
        />
      </div>
      <FieldFrame label="" name="isDefault" problems={problems}>
        {(control) => (
          <span className="check">
            <input type="checkbox" {...control} defaultChecked={initial?.isDefault} /> Default for new
            repositories
          </span>
        )}
      </FieldFrame>
      {initial && (
        <>
          <FieldFrame
            label="Host keys (one .pub line each, as ssh-keyscan or /etc/ssh/ssh_host_*_key.pub give them)"
            name="hostKeys"
            hint="Clients trust only these keys for this node; empty: none, and backup runs are refused."
            problems={problems}
          >
            {(control) => (
              <textarea
                {...control}
                className="mono small"
                rows={Math.min(Math.max(initial.hostKeys.length, 2), 6)}
                spellCheck={false}
                placeholder="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA…"
                defaultValue={initial.hostKeys.join('\n')}
              />
            )}
          </FieldFrame>
          <div className="small">
            <span id={fingerprintsId}>Saved fingerprints:</span>
            <div
              aria-labelledby={fingerprintsId}
              role="group"
              className="mono"
              data-testid="saved-fingerprints"
            >
              <HostKeyFingerprints fingerprints={initial.hostKeyFingerprints} />
            </div>
          </div>
        </>
      )}
      <FormError problems={problems} />
      <div className="actions">
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** The fingerprints a client should see on its first connection (empty: none configured). */
export function HostKeyFingerprints({ fingerprints }: { fingerprints: readonly string[] }) {
  if (fingerprints.length === 0) return <span className="muted">none configured</span>;
  return (
    <ul className="plain-list">
      {fingerprints.map((f) => (
        <li key={f} className="break-all">
          {f}
        </li>
      ))}
    </ul>
  );
}
