import { useMutation, useQuery } from '@apollo/client/react';
import { ErrorText } from '../components/ErrorText.js';
import { Field, FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { submitForm } from '../components/submit-form.js';
import { absoluteTime, relativeTime } from '../format.js';
import { CREATE_LOCATION, LOCATIONS } from '../graphql/admin-operations.js';
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
  const problems = formProblems(creating.error, ['name', 'sshHost', 'sshPort']);
  const submit = submitForm((form) =>
    create({
      variables: {
        name: formText(form, 'name').trim(),
        sshHost: formText(form, 'sshHost').trim(),
        sshPort: Number(formText(form, 'sshPort') || '22'),
        isDefault: form.get('isDefault') === 'on',
      },
    }),
  );
  return (
    <>
      <header className="page-header">
        <h1>Storage locations</h1>
      </header>
      <ErrorText error={error} />
      <form className="card form" onSubmit={submit} aria-labelledby="new-location-title">
        <h2 id="new-location-title">New location</h2>
        <div className="grid-2">
          <Field label="Name" name="name" problems={problems} required maxLength={100} placeholder="rack-2" />
          <Field
            label="SSH host"
            name="sshHost"
            problems={problems}
            required
            placeholder="backup2.example.com"
          />
          <Field label="SSH port" name="sshPort" type="number" problems={problems} defaultValue={22} />
        </div>
        <label className="check">
          <input type="checkbox" name="isDefault" /> Default for new repositories
        </label>
        <FormError problems={problems} />
        <div className="actions">
          <button type="submit" disabled={creating.loading}>
            {creating.loading ? 'Creating…' : 'Create location'}
          </button>
        </div>
      </form>
      <ListTable
        label="Storage locations"
        columns={['Location', 'Address', 'Host key fingerprints', 'Agent']}
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
          </tr>
        )}
      </ListTable>
    </>
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
