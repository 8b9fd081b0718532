import { lastBackupAt, staleFrom } from './alert-schedule.js';
import { HealthState } from './health-state.js';
import { type QuotaFacts, quotaExceeded, quotaReason } from './quota.js';

const DAY_MS = 86_400_000;

/** What a repository's health is computed from: stored columns of the repository and its location. */
export interface HealthFacts extends QuotaFacts {
  alertAfterDays: number | null;
  createdAt: Date;
  isOpen: boolean;
  lastAccessAt: Date | null;
  lastUpdatedAt: Date | null;
  lastPingSuccessAt: Date | null;
  lastPingFailureAt: Date | null;
  /** the exit status of the last failure ping, null for /fail */
  lastPingFailureStatus: number | null;
  lastPingStartAt: Date | null;
  location: { name: string; agentSeenAt: Date | null };
}

export interface HealthPolicy {
  /** an agent that has not reported for this long is away: its repositories are UNKNOWN */
  agentAwayAfterMs: number;
  /** a ping /start without a finish counts as running for at most this long */
  runningAtMostMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = { agentAwayAfterMs: 10 * 60_000, runningAtMostMs: DAY_MS };

export interface Health {
  state: HealthState;
  reason: string;
  since: Date | null;
  alertsOff: boolean;
  /** the next instant the state changes by the clock alone (null: not by the clock) */
  stateUntil: Date | null;
  /** the next instant the state or the reason's wording changes by the clock alone */
  until: Date | null;
}

const earliest = (...at: (Date | null)[]): Date | null =>
  at.reduce<Date | null>((min, d) => (d !== null && (min === null || d < min) ? d : min), null);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Contract §7, first match wins: FAILED (over the quota the hive enforces at login: its backups are
 * refused; or a reported failure, known whatever the agent says), UNKNOWN
 * (the agent is away: open, updated and stale are not known), IN_PROGRESS, STALE, NEVER_BACKED_UP, OK.
 * "A backup" is `lastBackupAt` of alert-schedule (the newer of the disk update and the ping success).
 */
export function healthOf(facts: HealthFacts, now: Date, policy: HealthPolicy): Health {
  const lastBackup = lastBackupAt(facts);
  const alertsOff = facts.alertAfterDays === null;
  const seen = facts.location.agentSeenAt;
  const awayAt = seen === null ? null : new Date(seen.getTime() + policy.agentAwayAfterMs);
  const health = (state: HealthState, reason: string, since: Date | null, ...later: (Date | null)[]) => {
    const future = (d: Date | null) => d !== null && d > now;
    const stateUntil = earliest(...later.filter(future));
    // the agent's absence is kept per location (see HealthStore), so it is not in the rows' stateUntil
    return {
      state,
      reason,
      since,
      alertsOff,
      stateUntil,
      until: earliest(stateUntil, future(awayAt) ? awayAt : null),
    };
  };
  const over = quotaExceeded(facts);
  if (over !== null) return { ...health(HealthState.FAILED, quotaReason(over), null), until: null };
  const failure = facts.lastPingFailureAt;
  if (failure !== null && (lastBackup === null || failure > lastBackup)) {
    const status = facts.lastPingFailureStatus;
    const reason =
      status === null ? 'last ping reported failure' : `exit status ${status} reported by the last ping`;
    return { ...health(HealthState.FAILED, reason, failure), until: null };
  }
  if (seen !== null && awayAt !== null && now >= awayAt) {
    const reason = `agent of location ${facts.location.name} not seen since ${seen.toISOString()}`;
    return { ...health(HealthState.UNKNOWN, reason, awayAt), until: null };
  }
  const staleAt = staleFrom({ lastBackup, createdAt: facts.createdAt, alertAfterDays: facts.alertAfterDays });
  if (facts.isOpen)
    return health(
      HealthState.IN_PROGRESS,
      'a backup is running (a write session is open)',
      facts.lastAccessAt,
    );
  const start = facts.lastPingStartAt;
  const finished =
    start !== null &&
    [facts.lastPingSuccessAt, facts.lastPingFailureAt].some((d) => d !== null && d >= start);
  if (start !== null && !finished) {
    const runningUntil = new Date(start.getTime() + policy.runningAtMostMs);
    if (now < runningUntil)
      return health(
        HealthState.IN_PROGRESS,
        'a backup is running (started through the ping URL)',
        start,
        runningUntil,
        staleAt,
      );
  }
  if (staleAt !== null && now >= staleAt) {
    const from = lastBackup ?? facts.createdAt;
    const days = Math.floor((now.getTime() - from.getTime()) / DAY_MS);
    const limit = `(alert after ${plural(facts.alertAfterDays ?? 0, 'day')})`;
    const reason =
      lastBackup === null
        ? `never backed up, created ${plural(days, 'day')} ago ${limit}`
        : `no backup for ${plural(days, 'day')} ${limit}`;
    // the state holds until a backup; the wording changes every day
    const stale = health(HealthState.STALE, reason, staleAt);
    return { ...stale, until: earliest(stale.until, new Date(from.getTime() + (days + 1) * DAY_MS)) };
  }
  if (lastBackup === null)
    return health(HealthState.NEVER_BACKED_UP, 'never backed up', facts.createdAt, staleAt);
  return health(HealthState.OK, `last backup ${lastBackup.toISOString()}`, lastBackup, staleAt);
}
