import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { DeleteButton } from '../components/DeleteButton.js';
import { ErrorText } from '../components/ErrorText.js';
import { FieldFrame, FormError } from '../components/Field.js';
import { formProblems } from '../components/form-problems.js';
import { ListTable } from '../components/ListTable.js';
import { NextRuns, ScheduleFields, scheduleText } from '../components/Schedule.js';
import { submitForm } from '../components/submit-form.js';
import { formText } from '../form-data.js';
import { MAINTENANCE_SCHEDULES, SET_MAINTENANCE_SCHEDULE } from '../graphql/backup-operations.js';
import type { BorgVersion, MaintenanceScheduleFieldsFragment, RepositoryMode } from '../graphql/types.js';

type ScheduledTask = 'COMPACT' | 'CHECK';
const TASKS: Record<ScheduledTask, string> = {
  COMPACT: 'Compact (free the space of deleted archives)',
  CHECK: 'Check (repository only)',
};

interface Props {
  repositoryId: string;
  mode: RepositoryMode;
  borgVersion: BorgVersion;
}

/**
 * When the hive compacts and checks a repository on its own: the schedules with their next starts, and a
 * form to add, change (same task again) or remove one. Borg 2 needs the key for both, so none is offered.
 */
export function MaintenanceSchedules({ repositoryId, mode, borgVersion }: Props) {
  if (mode !== 'BORG') return null;
  return (
    <section className="card" aria-labelledby="maintenance-schedules-title">
      <h2 id="maintenance-schedules-title">Maintenance schedules</h2>
      {borgVersion === 'BORG2' ? (
        <p data-testid="borg2-maintenance">
          Borg 2’s compact and check need the repository’s borg key, which the hive does not hold: a client
          with full access (all) runs <code>borg2 compact</code> and <code>borg2 check</code>, so the hive
          schedules neither here.
        </p>
      ) : (
        <ScheduleList repositoryId={repositoryId} />
      )}
    </section>
  );
}

function ScheduleList({ repositoryId }: { repositoryId: string }) {
  const query = { query: MAINTENANCE_SCHEDULES, variables: { repositoryId } };
  const { data, error } = useQuery(MAINTENANCE_SCHEDULES, { variables: { repositoryId } });
  const [set, saving] = useMutation(SET_MAINTENANCE_SCHEDULE, { refetchQueries: [query] });
  const [remove, removing] = useMutation(SET_MAINTENANCE_SCHEDULE, { refetchQueries: [query] });
  const [editing, setEditing] = useState<MaintenanceScheduleFieldsFragment | null>(null);
  return (
    <>
      <ErrorText error={error ?? removing.error} />
      <ListTable
        label="Maintenance schedules"
        columns={['Task', 'Schedule', 'Next runs']}
        actions
        rows={data?.maintenanceSchedules}
        failed={error !== undefined}
        loading="Loading schedules…"
        empty="Nothing scheduled: compact and check run only when started above."
      >
        {(row) => (
          <tr key={row.id}>
            <th scope="row">{row.task}</th>
            <td className="mono small">{scheduleText(row.schedule, row.timezone)}</td>
            <td className="small">
              <NextRuns runs={row.nextRuns} />
            </td>
            <td className="cell-actions">
              <button
                type="button"
                className="button-secondary"
                aria-label={`Change the ${row.task} schedule`}
                onClick={() => setEditing(row)}
              >
                Change
              </button>
              <DeleteButton
                label={`Remove the ${row.task} schedule`}
                confirm={`Stop running ${row.task} on a schedule?`}
                busy={removing.loading}
                onConfirmed={() =>
                  void remove({ variables: { repositoryId, task: row.task, schedule: null } }).catch(() => {})
                }
              />
            </td>
          </tr>
        )}
      </ListTable>
      <ScheduleForm
        key={editing?.id ?? 'new'}
        initial={editing}
        busy={saving.loading}
        error={saving.error}
        onSave={async (task, schedule, timezone) => {
          const result = await set({ variables: { repositoryId, task, schedule, timezone } });
          if (result.data) setEditing(null);
          return result;
        }}
        onCancel={editing ? () => setEditing(null) : undefined}
      />
    </>
  );
}

interface FormProps {
  initial: MaintenanceScheduleFieldsFragment | null;
  busy: boolean;
  error: unknown;
  onSave: (task: ScheduledTask, schedule: string, timezone: string | null) => Promise<{ data?: unknown }>;
  onCancel: (() => void) | undefined;
}

/** One task's cron and zone; saving a task that has a schedule replaces it. Problems show at their field. */
function ScheduleForm({ initial, busy, error, onSave, onCancel }: FormProps) {
  const problems = formProblems(error, ['task', 'schedule', 'timezone']);
  const titleId = useId();
  const submit = submitForm((form) =>
    onSave(
      formText(form, 'task') === 'CHECK' ? 'CHECK' : 'COMPACT',
      formText(form, 'schedule').trim(),
      formText(form, 'timezone').trim() || null,
    ),
  );
  return (
    <form className="form" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId}>{initial ? `Change the ${initial.task} schedule` : 'Add a schedule'}</h3>
      <div className="grid-2">
        <FieldFrame label="Task" name="task" problems={problems}>
          {(control) => (
            <select {...control} defaultValue={initial?.task ?? 'COMPACT'} disabled={initial !== null}>
              {Object.entries(TASKS).map(([task, label]) => (
                <option key={task} value={task}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </FieldFrame>
        <ScheduleFields
          problems={problems}
          defaultSchedule={initial?.schedule}
          defaultTimezone={initial?.timezone}
        />
      </div>
      {initial && <input type="hidden" name="task" value={initial.task} />}
      <FormError problems={problems} />
      <div className="actions">
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save schedule'}
        </button>
      </div>
    </form>
  );
}
