/**
 * When a repository is stale, when to alert about it and when to say it recovered. Pure functions:
 * the caller passes the clock and the stored facts; these rules decide.
 *
 * Rules (the original Borg Hive's guard tour, with its gaps fixed on purpose):
 * - The last backup is the newer of the last change seen on disk and the last successful ping.
 * - Reference point: the last backup, or the repository's creation when it never had one (the
 *   original never alerted for never-backed-up repositories).
 * - Stale from `reference + alertAfterDays` on, that instant included; `alertAfterDays: null` = no alerts.
 * - The first alert of a cycle (no alert since the reference point) is always sent, even when the
 *   expiration has already passed, so every stale repository is reported at least once.
 * - Repeats follow every `alertIntervalHours` (default 12, 1..48) while
 *   `now <= reference + alertExpirationDays` (default 5, 1..30); then they stop until a backup
 *   arrives. A repeat is due `SCHEDULER_SLACK_MS` early, so an hourly tour whose last alert was
 *   stored a few seconds after the tour's `now` does not slip by a whole hour.
 * - A backup after an alert earns one "recovered" message.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const ALERT_INTERVAL_HOURS = { default: 12, min: 1, max: 48 } as const;
export const ALERT_EXPIRATION_DAYS = { default: 5, min: 1, max: 30 } as const;
export const SCHEDULER_SLACK_MS = 5 * 60_000;

export interface BackupSignals {
  /** Last change seen on disk (`index.*` mtime). */
  lastUpdatedAt: Date | null;
  /** Last successful ping (`/ping/<uuid>` or exit status 0). */
  lastPingSuccessAt: Date | null;
}

export interface StalenessInput {
  now: Date;
  lastBackup: Date | null;
  createdAt: Date;
  alertAfterDays: number | null;
}

export interface AlertInput extends StalenessInput {
  alertIntervalHours?: number;
  alertExpirationDays?: number;
  /** The newest ALERT of this repository; one older than the reference point is ignored. */
  lastAlertAt: Date | null;
}

export type AlertDecision = { kind: 'ALERT' } | { kind: 'NONE'; reason: string };

export interface RecoveryInput {
  lastBackup: Date | null;
  /** The newest ALERT ever sent for this repository. */
  lastAlertAt: Date | null;
  /** The newest RECOVERED message sent for this repository. */
  recoveredSentAt: Date | null;
}

/** The newer of the disk update and the successful ping, or null when there is neither. */
export function lastBackupAt({ lastUpdatedAt, lastPingSuccessAt }: BackupSignals): Date | null {
  if (lastUpdatedAt === null) return lastPingSuccessAt;
  if (lastPingSuccessAt === null) return lastUpdatedAt;
  return lastPingSuccessAt > lastUpdatedAt ? lastPingSuccessAt : lastUpdatedAt;
}

/** The instant the repository becomes stale, or null when alerts are off for it. */
export function staleFrom({
  lastBackup,
  createdAt,
  alertAfterDays,
}: Omit<StalenessInput, 'now'>): Date | null {
  if (alertAfterDays === null) return null;
  return new Date((lastBackup ?? createdAt).getTime() + alertAfterDays * DAY_MS);
}

export function isStale(input: StalenessInput): boolean {
  const from = staleFrom(input);
  return from !== null && input.now >= from;
}

export function decideAlert(input: AlertInput): AlertDecision {
  const intervalHours = inRange('alertIntervalHours', input.alertIntervalHours, ALERT_INTERVAL_HOURS);
  const expirationDays = inRange('alertExpirationDays', input.alertExpirationDays, ALERT_EXPIRATION_DAYS);
  const from = staleFrom(input);
  if (from === null) return none('alerts are off for this repository');
  if (input.now < from) return none(`not stale before ${from.toISOString()}`);

  const reference = input.lastBackup ?? input.createdAt;
  const lastAlert = input.lastAlertAt !== null && input.lastAlertAt >= reference ? input.lastAlertAt : null;
  if (lastAlert === null) return { kind: 'ALERT' };

  const expiresAt = new Date(reference.getTime() + expirationDays * DAY_MS);
  if (input.now > expiresAt) return none(`alerts stopped at ${expiresAt.toISOString()}`);
  const nextAt = new Date(lastAlert.getTime() + intervalHours * HOUR_MS);
  if (input.now.getTime() < nextAt.getTime() - SCHEDULER_SLACK_MS) {
    return none(`alerted at ${lastAlert.toISOString()}; next alert due at ${nextAt.toISOString()}`);
  }
  return { kind: 'ALERT' };
}

/** True when a backup arrived after the newest alert and that alert has not been answered yet. */
export function decideRecovery({ lastBackup, lastAlertAt, recoveredSentAt }: RecoveryInput): boolean {
  if (lastBackup === null || lastAlertAt === null || lastBackup <= lastAlertAt) return false;
  return recoveredSentAt === null || recoveredSentAt < lastAlertAt;
}

function inRange(
  name: string,
  value: number | undefined,
  range: { default: number; min: number; max: number },
): number {
  const result = value ?? range.default;
  if (!Number.isInteger(result) || result < range.min || result > range.max) {
    throw new RangeError(`${name} must be an integer from ${range.min} to ${range.max}, got ${result}`);
  }
  return result;
}

function none(reason: string): AlertDecision {
  return { kind: 'NONE', reason };
}
