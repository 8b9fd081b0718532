import type { HealthState, RepositoryRow } from '../graphql/types.js';
import type { OverviewRow } from './row.js';

/** Builder for the overview's unit tests: a repository with only what a test cares about set. */
export function repository(fields: {
  id: string;
  name: string;
  state?: HealthState;
  lastBackupAt?: string | null;
  usageBytes?: number | null;
  owner?: { id: string; username: string };
  repoUser?: string;
}): RepositoryRow {
  return {
    id: fields.id,
    name: fields.name,
    repoUser: fields.repoUser ?? `u${fields.id}`,
    mode: 'BORG',
    url: `ssh://u${fields.id}@hive:22/./${fields.name}`,
    isOpen: fields.state === 'IN_PROGRESS',
    isStale: fields.state === 'STALE',
    usageBytes: fields.usageBytes ?? null,
    quotaBytes: null,
    alertAfterDays: null,
    lastUpdatedAt: null,
    lastBackupAt: fields.lastBackupAt ?? null,
    lastAccessAt: null,
    health: { state: fields.state ?? 'OK', reason: 'test', since: null },
    owner: fields.owner ?? { id: '1', username: 'admin' },
  };
}

export function row(hiveId: string, fields: Parameters<typeof repository>[0]): OverviewRow {
  return { hiveId, hiveName: `hive ${hiveId}`, repository: repository(fields) };
}

const STATES: readonly HealthState[] = ['NEVER_BACKED_UP', 'OK', 'IN_PROGRESS', 'STALE', 'FAILED', 'UNKNOWN'];

/** Deterministic pseudo-random rows (names collide across hives on purpose). */
export function randomRows(hiveId: string, count: number, seed: number): OverviewRow[] {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  return Array.from({ length: count }, (_, index) =>
    row(hiveId, {
      id: String(index + 1),
      name: `r${next(count)}${'aB_-.'[next(5)]}`,
      state: STATES[next(STATES.length)]!,
      lastBackupAt: next(4) === 0 ? null : new Date(Date.UTC(2026, 0, 1 + next(300))).toISOString(),
      usageBytes: next(4) === 0 ? null : next(5) * 1_000_000,
    }),
  );
}
