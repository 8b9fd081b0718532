import type { RepositoryRow } from '../graphql/types.js';

/** One line of the overview: a repository and the hive it lives on. */
export interface OverviewRow {
  readonly hiveId: string;
  readonly hiveName: string;
  readonly repository: RepositoryRow;
}

/** Unique across hives (ids are only unique within one hive). */
export function rowKey(row: OverviewRow): string {
  return `${row.hiveId}:${row.repository.id}`;
}
