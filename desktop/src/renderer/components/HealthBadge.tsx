import type { HealthState, RepositoryHealth } from '../graphql/types.js';

export const HEALTH_LABELS: Readonly<Record<HealthState, string>> = {
  FAILED: 'Failed',
  STALE: 'Stale',
  NEVER_BACKED_UP: 'Never backed up',
  IN_PROGRESS: 'In progress',
  UNKNOWN: 'Unknown',
  OK: 'OK',
};

/** The repository's health state as the hive judged it (never "OK" for one that is not). */
export function HealthBadge({ health }: { health: RepositoryHealth }) {
  return (
    <span className={`badge badge-health-${health.state.toLowerCase()}`} title={health.reason}>
      {HEALTH_LABELS[health.state]}
    </span>
  );
}
