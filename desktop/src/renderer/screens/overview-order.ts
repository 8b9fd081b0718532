import type { RepositoryRow } from '../graphql/types.js';

/** Stale repositories first, then open (backup in progress), then the rest; by name within each group. */
export function overviewRank(repository: RepositoryRow): number {
  if (repository.isStale) return 0;
  if (repository.isOpen) return 1;
  return 2;
}

export function compareForOverview<T extends { repository: RepositoryRow; hiveName: string }>(
  a: T,
  b: T,
): number {
  return (
    overviewRank(a.repository) - overviewRank(b.repository) ||
    a.repository.name.localeCompare(b.repository.name) ||
    a.hiveName.localeCompare(b.hiveName)
  );
}
