import { registerEnumType } from 'type-graphql';

/** Contract §7: how a repository is doing, as one word. */
export enum HealthState {
  NEVER_BACKED_UP = 'NEVER_BACKED_UP',
  OK = 'OK',
  IN_PROGRESS = 'IN_PROGRESS',
  STALE = 'STALE',
  FAILED = 'FAILED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(HealthState, {
  name: 'HealthState',
  valuesConfig: {
    NEVER_BACKED_UP: { description: 'no backup was ever seen on disk or reported' },
    OK: { description: 'backed up, nothing to report' },
    IN_PROGRESS: { description: 'a write session is open or a ping /start has no finish yet' },
    STALE: { description: 'alertAfterDays is set and the last backup (or the creation) is older' },
    FAILED: { description: 'the last report failed and nothing succeeded since' },
    UNKNOWN: { description: 'the hive cannot see it: the agent of its location is away' },
  },
});

/**
 * ATTENTION order: what needs a look first. Stored in `repositories.health_rank` (indexed with name and
 * id), so the order and the state filter are read from an index, never computed over every row.
 */
export const ATTENTION_RANK: Readonly<Record<HealthState, number>> = {
  [HealthState.FAILED]: 0,
  [HealthState.STALE]: 1,
  [HealthState.NEVER_BACKED_UP]: 2,
  [HealthState.IN_PROGRESS]: 3,
  [HealthState.UNKNOWN]: 4,
  [HealthState.OK]: 5,
};

const BY_RANK = Object.entries(ATTENTION_RANK)
  .sort((a, b) => a[1] - b[1])
  .map(([state]) => state as HealthState);

export function stateOfRank(rank: number): HealthState {
  const state = BY_RANK[rank];
  if (state === undefined) throw new Error(`no health state has rank ${rank}`);
  return state;
}
