import { Cron } from 'croner';

/** Why a schedule is refused, or null when it is a 5-field cron expression in a known time zone. */
export function scheduleProblem(
  expression: string,
  timezone: string,
): { field: string; message: string } | null {
  if (!isTimeZone(timezone))
    return {
      field: 'timezone',
      message: `unknown time zone "${timezone.slice(0, 64)}" (IANA, e.g. Europe/Berlin)`,
    };
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return {
      field: 'schedule',
      message: 'a 5-field cron expression: minute hour day-of-month month day-of-week',
    };
  }
  try {
    new Cron(fields.join(' '), { timezone, paused: true });
    return null;
  } catch (error) {
    return { field: 'schedule', message: `invalid cron expression: ${(error as Error).message}` };
  }
}

export function isTimeZone(timezone: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(timezone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** The next `count` times the schedule fires strictly after `from` (croner, the maintained parser). */
export function nextRuns(expression: string, timezone: string, from: Date, count: number): Date[] {
  const cron = new Cron(expression.trim(), { timezone, paused: true });
  return cron.nextRuns(count, from);
}

/** How many next runs an answer may list: at least one, at most 20. */
export function runsCount(count: number): number {
  return Math.min(Math.max(count, 1), 20);
}
