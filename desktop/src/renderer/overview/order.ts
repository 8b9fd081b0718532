import type { HealthState, RepositoryOrder } from '../graphql/types.js';
import type { OverviewRow } from './row.js';

export type RowComparator = (a: OverviewRow, b: OverviewRow) => number;

/** ATTENTION order of the API: what needs a person first. */
export const STATE_RANK: Readonly<Record<HealthState, number>> = {
  FAILED: 0,
  STALE: 1,
  NEVER_BACKED_UP: 2,
  IN_PROGRESS: 3,
  UNKNOWN: 4,
  OK: 5,
};

/** Binary (code unit) order, as the server sorts names; never locale-aware. */
export function compareBinary(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Numeric order of decimal ids without converting them (they may exceed 2^53). */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || compareBinary(a, b);
}

function time(iso: string | null): number | null {
  return iso === null ? null : Date.parse(iso);
}

/** Nulls first, then ascending (LAST_BACKUP: never backed up, then oldest). */
function nullsFirstAscending(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return a - b;
}

/** Largest first, unknown (null) last (USAGE). */
function nullsLastDescending(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return b - a;
}

function primary(order: RepositoryOrder, a: OverviewRow, b: OverviewRow): number {
  const x = a.repository;
  const y = b.repository;
  switch (order) {
    case 'ATTENTION':
      return STATE_RANK[x.health.state] - STATE_RANK[y.health.state];
    case 'NAME':
      return 0;
    case 'LAST_BACKUP':
      return nullsFirstAscending(time(x.lastBackupAt), time(y.lastBackupAt));
    case 'USAGE':
      return nullsLastDescending(x.usageBytes, y.usageBytes);
  }
}

/**
 * The order of `repositoryPage` (contract §8, fixed in the API agreement), extended across hives:
 * the order's own key, then name, then hive, then id. Within one hive it is exactly the server's order,
 * which is what lets the overview merge pages of several hives. `reverse` reverses the whole order.
 */
export function rowComparator(order: RepositoryOrder, reverse: boolean): RowComparator {
  const forward: RowComparator = (a, b) =>
    primary(order, a, b) ||
    compareBinary(a.repository.name, b.repository.name) ||
    compareBinary(a.hiveId, b.hiveId) ||
    compareIds(a.repository.id, b.repository.id);
  return reverse ? (a, b) => forward(b, a) : forward;
}
