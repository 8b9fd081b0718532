import type { HealthState, RepositoryTotals } from '../graphql/types.js';

const FIELD: Readonly<Record<HealthState, Exclude<keyof RepositoryTotals, 'total' | 'usageBytes'>>> = {
  FAILED: 'failed',
  STALE: 'stale',
  NEVER_BACKED_UP: 'neverBackedUp',
  IN_PROGRESS: 'inProgress',
  UNKNOWN: 'unknown',
  OK: 'ok',
};

/** How many repositories of the hives answered so far are in `state`. */
export function countInState(totals: Iterable<RepositoryTotals>, state: HealthState): number {
  let sum = 0;
  for (const counts of totals) sum += counts[FIELD[state]];
  return sum;
}

/** The number of repositories the view lists (the summary counts every state; the chips pick some). */
export function countInView(totals: Iterable<RepositoryTotals>, states: readonly HealthState[]): number {
  let sum = 0;
  for (const counts of totals) {
    sum += states.length === 0 ? counts.total : states.reduce((n, state) => n + counts[FIELD[state]], 0);
  }
  return sum;
}
