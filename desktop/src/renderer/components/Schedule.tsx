import { useApolloClient } from '@apollo/client/react';
import { useEffect, useRef, useState } from 'react';
import { Field } from './Field.js';
import { formProblems, type FormProblems } from './form-problems.js';
import { absoluteTime } from '../format.js';
import { SCHEDULE_PREVIEW } from '../graphql/backup-operations.js';

const SCHEDULE_FIELDS = ['schedule', 'timezone'] as const;
/** how long typing must pause before the hive is asked for a preview */
const PREVIEW_DELAY_MS = 300;

type Preview =
  | { state: 'none' }
  | { state: 'runs'; runs: readonly string[] }
  | { state: 'problem'; problems: FormProblems };

/**
 * The hive's next runs for a schedule as it is typed (debounced; an answer to an older text is
 * ignored), or its problem with the schedule or zone. The hive computes both: one cron rule.
 */
function useSchedulePreview(schedule: string, timezone: string): Preview {
  const client = useApolloClient();
  const [preview, setPreview] = useState<Preview>({ state: 'none' });
  const asked = useRef(0);
  useEffect(() => {
    const ask = ++asked.current;
    if (!schedule.trim()) {
      setPreview({ state: 'none' });
      return;
    }
    const timer = setTimeout(() => {
      client
        .query({
          query: SCHEDULE_PREVIEW,
          variables: { schedule, timezone: timezone.trim() || 'UTC' },
          fetchPolicy: 'no-cache',
        })
        .then(
          ({ data }) => {
            if (ask === asked.current) setPreview({ state: 'runs', runs: data?.schedulePreview ?? [] });
          },
          (error: unknown) => {
            if (ask !== asked.current) return;
            // only the hive's word on a field is a preview; an unreachable hive says nothing here
            const problems = formProblems(error, SCHEDULE_FIELDS);
            setPreview(problems.fields.size > 0 ? { state: 'problem', problems } : { state: 'none' });
          },
        );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [client, schedule, timezone]);
  return preview;
}

/**
 * The save's problems, where the preview of what is typed now is newer: its problem at the schedule or
 * zone takes the save's place there, and a schedule it could plan clears the save's problems with both.
 */
function withPreviewProblems(saved: FormProblems, preview: Preview): FormProblems {
  if (preview.state === 'none') return saved;
  const fields = new Map([...saved.fields].filter(([field]) => !SCHEDULE_FIELDS.some((f) => f === field)));
  if (preview.state === 'problem')
    for (const [field, message] of preview.problems.fields) fields.set(field, message);
  return { fields, rest: saved.rest };
}

interface ScheduleFieldsProps {
  problems: FormProblems;
  /** what an empty schedule means, in the label (e.g. "only “Run now”"); left out: the schedule is required */
  emptyMeans?: string;
  defaultSchedule?: string | undefined;
  defaultTimezone?: string | undefined;
}

/**
 * A 5-field cron and its IANA time zone, the hive's problem with each at its field (as jobs and
 * maintenance schedules take them: `schedule`, `timezone`).
 */
export function ScheduleFields({
  problems,
  emptyMeans,
  defaultSchedule,
  defaultTimezone,
}: ScheduleFieldsProps) {
  const [schedule, setSchedule] = useState(defaultSchedule ?? '');
  const [timezone, setTimezone] = useState(defaultTimezone ?? '');
  const preview = useSchedulePreview(schedule, timezone);
  const shown = withPreviewProblems(problems, preview);
  return (
    <>
      <Field
        label={emptyMeans ? `Schedule (5-field cron, empty: ${emptyMeans})` : 'Schedule (5-field cron)'}
        name="schedule"
        className="mono"
        placeholder="30 2 * * *"
        hint="minute hour day-of-month month day-of-week"
        required={emptyMeans === undefined}
        problems={shown}
        defaultValue={defaultSchedule}
        onChange={(e) => setSchedule(e.currentTarget.value)}
      />
      <Field
        label="Time zone"
        name="timezone"
        placeholder="UTC"
        hint="IANA, e.g. Europe/Berlin (empty: UTC)"
        problems={shown}
        defaultValue={defaultTimezone}
        onChange={(e) => setTimezone(e.currentTarget.value)}
      />
      {preview.state === 'runs' && preview.runs.length > 0 && (
        <p className="hint" data-testid="schedule-preview" aria-live="polite">
          Next runs: {preview.runs.map((at) => absoluteTime(at)).join(', ')}
        </p>
      )}
    </>
  );
}

/** A schedule in words: its cron and zone, or that it runs only when asked. */
export function scheduleText(schedule: string | null, timezone: string): string {
  return schedule ? `${schedule} (${timezone})` : 'on demand';
}

/** The next starts the hive computed for a schedule, as local dates and times. */
export function NextRuns({ runs }: { runs: readonly string[] }) {
  if (runs.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="plain-list">
      {runs.map((at) => (
        <li key={at}>
          <time dateTime={at}>{absoluteTime(at)}</time>
        </li>
      ))}
    </ul>
  );
}
