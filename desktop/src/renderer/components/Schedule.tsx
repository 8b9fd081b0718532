import { Field } from './Field.js';
import type { FormProblems } from './form-problems.js';
import { absoluteTime } from '../format.js';

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
  return (
    <>
      <Field
        label={emptyMeans ? `Schedule (5-field cron, empty: ${emptyMeans})` : 'Schedule (5-field cron)'}
        name="schedule"
        className="mono"
        placeholder="30 2 * * *"
        hint="minute hour day-of-month month day-of-week"
        required={emptyMeans === undefined}
        problems={problems}
        defaultValue={defaultSchedule}
      />
      <Field
        label="Time zone"
        name="timezone"
        placeholder="UTC"
        hint="IANA, e.g. Europe/Berlin (empty: UTC)"
        problems={problems}
        defaultValue={defaultTimezone}
      />
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
