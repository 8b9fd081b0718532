import { useMutation, useQuery } from '@apollo/client/react';
import { DeleteButton } from '../components/DeleteButton.js';
import { ErrorText } from '../components/ErrorText.js';
import { FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { NextRuns, ScheduleFields, scheduleText } from '../components/Schedule.js';
import { submitForm } from '../components/submit-form.js';
import { absoluteTime, formatBytes, relativeTime } from '../format.js';
import { formText } from '../form-data.js';
import {
  BACKUP_CLIENTS,
  BACKUP_JOBS,
  BACKUP_RUNS,
  CANCEL_BACKUP_RUN,
  CREATE_BACKUP_CLIENT,
  CREATE_BACKUP_JOB,
  DELETE_BACKUP_JOB,
  RUN_BACKUP_JOB,
} from '../graphql/backup-operations.js';
import { href } from '../route.js';

/** Pull-mode backups of one hive: its clients (with the line to paste), jobs (next runs) and recent runs. */
export function Backups({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <header className="page-header">
        <h1>Backups</h1>
      </header>
      <Clients />
      <Jobs />
      <Runs hiveId={hiveId} />
    </HiveScope>
  );
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function Clients() {
  const { data, error } = useQuery(BACKUP_CLIENTS);
  const [create, creating] = useMutation(CREATE_BACKUP_CLIENT, { refetchQueries: [BACKUP_CLIENTS] });
  const submit = submitForm((form) => {
    const fingerprint = formText(form, 'hostKeyFingerprint').trim();
    return create({
      variables: {
        input: {
          name: formText(form, 'name').trim(),
          host: formText(form, 'host').trim(),
          port: Number(formText(form, 'port') || '22'),
          user: formText(form, 'user').trim(),
          hostKeyFingerprint: fingerprint || null,
        },
      },
    });
  });
  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title">Clients</h2>
      <ErrorText error={error} />
      <form className="card form" onSubmit={submit} aria-label="Add a client">
        <label>
          Name <input name="name" required maxLength={100} placeholder="laptop" />
        </label>
        <label>
          Host <input name="host" required placeholder="laptop.example.org" />
        </label>
        <label>
          Port <input name="port" type="number" min={1} max={65535} defaultValue={22} />
        </label>
        <label>
          User <input name="user" required placeholder="alice" />
        </label>
        <label>
          Host key fingerprint (optional: else the first key seen is pinned)
          <input name="hostKeyFingerprint" className="mono" placeholder="SHA256:…" />
        </label>
        <ErrorText error={creating.error} />
        <div className="actions">
          <button type="submit" disabled={creating.loading}>
            {creating.loading ? 'Contacting the client…' : 'Add client'}
          </button>
        </div>
      </form>
      <ListTable
        label="Backup clients"
        columns={['Name', 'Address', 'Pinned host key', 'Line for ~/.ssh/authorized_keys', 'Last seen']}
        rows={data?.backupClients}
        failed={error !== undefined}
        loading="Loading clients…"
        empty="No clients yet."
      >
        {(c) => (
          <tr key={c.id}>
            <th scope="row">{c.name}</th>
            <td className="mono small">
              {c.user}@{c.host}:{c.port}
            </td>
            <td className="mono small">{c.hostKeyFingerprint}</td>
            <td>
              <textarea
                readOnly
                rows={2}
                className="mono small"
                value={c.authorizedKeysLine}
                aria-label={`authorized_keys line for ${c.name}`}
              />
            </td>
            <td title={absoluteTime(c.lastSeenAt)}>{relativeTime(c.lastSeenAt)}</td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}

function Jobs() {
  const { data, error } = useQuery(BACKUP_JOBS);
  const clients = useQuery(BACKUP_CLIENTS).data?.backupClients ?? [];
  const [create, creating] = useMutation(CREATE_BACKUP_JOB, { refetchQueries: [BACKUP_JOBS] });
  const [remove, removing] = useMutation(DELETE_BACKUP_JOB, { refetchQueries: [BACKUP_JOBS] });
  const [runNow, running] = useMutation(RUN_BACKUP_JOB, { refetchQueries: [BACKUP_RUNS] });
  const problems = formProblems(creating.error, ['schedule', 'timezone']);
  const submit = submitForm((form) => {
    const keep = (name: string) => (formText(form, name) ? Number(formText(form, name)) : null);
    return create({
      variables: {
        input: {
          name: formText(form, 'name').trim(),
          clientId: formText(form, 'clientId'),
          repositoryId: formText(form, 'repositoryId').trim(),
          paths: lines(formText(form, 'paths')),
          excludes: lines(formText(form, 'excludes')),
          schedule: formText(form, 'schedule').trim() || null,
          timezone: formText(form, 'timezone').trim() || null,
          method: formText(form, 'method') === 'SOCKET_FORWARDING' ? 'SOCKET_FORWARDING' : 'AGENT_FORWARDING',
          passphrase: formText(form, 'passphrase') || null,
          retention: {
            keepDaily: keep('keepDaily'),
            keepWeekly: keep('keepWeekly'),
            keepMonthly: keep('keepMonthly'),
            keepYearly: keep('keepYearly'),
          },
        },
      },
    });
  });
  return (
    <section aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      <ErrorText error={error ?? removing.error ?? running.error} />
      <form className="card form" onSubmit={submit} aria-label="Add a job">
        <label>
          Name <input name="name" required maxLength={100} />
        </label>
        <label>
          Client
          <select name="clientId" required>
            {clients.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repository id <input name="repositoryId" required inputMode="numeric" />
        </label>
        <label>
          Paths (one per line) <textarea name="paths" required rows={2} className="mono" />
        </label>
        <label>
          Excludes (one per line) <textarea name="excludes" rows={2} className="mono" />
        </label>
        <ScheduleFields problems={problems} emptyMeans="only “Run now”" />
        <label>
          Method
          <select name="method" defaultValue="AGENT_FORWARDING">
            <option value="AGENT_FORWARDING">ssh agent forwarding</option>
            <option value="SOCKET_FORWARDING">socket forwarding (socat)</option>
          </select>
        </label>
        <label>
          Passphrase (stored encrypted, never shown){' '}
          <input name="passphrase" type="password" autoComplete="off" />
        </label>
        <fieldset>
          <legend>Keep (prune after each backup)</legend>
          <input name="keepDaily" type="number" min={0} placeholder="daily" aria-label="keep daily" />
          <input name="keepWeekly" type="number" min={0} placeholder="weekly" aria-label="keep weekly" />
          <input name="keepMonthly" type="number" min={0} placeholder="monthly" aria-label="keep monthly" />
          <input name="keepYearly" type="number" min={0} placeholder="yearly" aria-label="keep yearly" />
        </fieldset>
        <FormError problems={problems} />
        <div className="actions">
          <button type="submit" disabled={creating.loading}>
            Add job
          </button>
        </div>
      </form>
      <ListTable
        label="Backup jobs"
        columns={['Job', 'From → to', 'Schedule', 'Next runs', 'Retention']}
        actions
        rows={data?.backupJobs}
        failed={error !== undefined}
        loading="Loading jobs…"
        empty="No jobs yet."
      >
        {(job) => (
          <tr key={job.id}>
            <th scope="row">
              {job.name}
              <div className="muted small mono">{job.paths.join(' ')}</div>
            </th>
            <td>
              {job.client.name} → {job.repository.name}
            </td>
            <td className="mono small">{scheduleText(job.schedule, job.timezone)}</td>
            <td className="small">
              <NextRuns runs={job.nextRuns} />
            </td>
            <td className="small">
              {job.retention
                ? Object.entries(job.retention)
                    .filter(([k, v]) => k !== '__typename' && v)
                    .map(([k, v]) => `${k.replace('keep', '').toLowerCase()} ${String(v)}`)
                    .join(', ')
                : 'keep all'}
            </td>
            <td className="cell-actions">
              <button
                type="button"
                disabled={running.loading}
                onClick={() => void runNow({ variables: { id: job.id } }).catch(() => {})}
              >
                Run now
              </button>
              <DeleteButton
                label={`Delete job ${job.name}`}
                confirm={`Delete job “${job.name}”?`}
                busy={removing.loading}
                onConfirmed={() => void remove({ variables: { id: job.id } }).catch(() => {})}
              />
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}

function Runs({ hiveId }: { hiveId: string }) {
  const { data, error } = useQuery(BACKUP_RUNS, { variables: { limit: 50 }, pollInterval: 5_000 });
  const [cancel, cancelling] = useMutation(CANCEL_BACKUP_RUN, { refetchQueries: [BACKUP_RUNS] });
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Recent runs</h2>
      <ErrorText error={error ?? cancelling.error} />
      <ListTable
        label="Backup runs"
        columns={['Run', 'State', 'Progress', 'Started']}
        actions
        rows={data?.backupRuns}
        failed={error !== undefined}
        loading="Loading runs…"
        empty="No runs yet."
      >
        {(run) => (
          <tr key={run.id}>
            <th scope="row">
              <a href={href({ screen: 'backup-run', hiveId, id: run.id })}>
                {run.kind} #{run.id}
              </a>
              <div className="muted small">
                {run.job?.name ?? run.repository.name}
                {run.archiveName ? ` · ${run.archiveName}` : ''}
              </div>
            </th>
            <td>
              {run.state}
              {run.message && <div className="muted small">{run.message}</div>}
            </td>
            <td className="small">
              {run.progress
                ? `${formatBytes(run.progress.originalBytes)} · ${run.progress.files} files`
                : '—'}
            </td>
            <td title={absoluteTime(run.startedAt)}>{relativeTime(run.startedAt)}</td>
            <td className="cell-actions">
              {(run.state === 'RUNNING' || run.state === 'QUEUED') && (
                <button
                  type="button"
                  className="button-danger"
                  onClick={() => void cancel({ variables: { id: run.id } }).catch(() => {})}
                >
                  Cancel
                </button>
              )}
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
