import type { RowComparator } from './order.js';
import type { OverviewRow } from './row.js';

/** What the overview holds of one hive: a sorted prefix of the hive's rows in the current order. */
export interface HiveList {
  readonly rows: readonly OverviewRow[];
  /**
   * The last row of the last page as the server sent it: the keyset position `endCursor` stands for.
   * Rows that sort after it have not been loaded yet (a live update may have moved the row itself).
   */
  readonly boundary: OverviewRow | null;
  readonly endCursor: string | null;
  /** True until the hive said there is nothing more (also before its first page). */
  readonly hasNextPage: boolean;
  readonly loading: boolean;
  readonly error: string | null;
}

export const emptyHiveList: HiveList = {
  rows: [],
  boundary: null,
  endCursor: null,
  hasNextPage: true,
  loading: false,
  error: null,
};

/** Index at which `row` belongs in the sorted `rows` (after equal ones). */
export function sortedIndex(rows: readonly OverviewRow[], row: OverviewRow, compare: RowComparator): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(rows[middle]!, row) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether a row in this position belongs to what is loaded (a later page would bring it otherwise). */
export function withinLoaded(list: HiveList, row: OverviewRow, compare: RowComparator): boolean {
  if (!list.hasNextPage) return true;
  return list.boundary !== null && compare(row, list.boundary) <= 0;
}

export function removeRow(list: HiveList, id: string): HiveList {
  const index = list.rows.findIndex((row) => row.repository.id === id);
  if (index < 0) return list;
  return { ...list, rows: list.rows.toSpliced(index, 1) };
}

/**
 * A repository changed (or was added): its old row goes; the new one is placed where it sorts if it
 * still matches the view and falls within the loaded range.
 */
export function upsertRow(
  list: HiveList,
  row: OverviewRow,
  matches: boolean,
  compare: RowComparator,
): HiveList {
  const without = removeRow(list, row.repository.id);
  if (!matches || !withinLoaded(without, row, compare)) return without;
  return { ...without, rows: without.rows.toSpliced(sortedIndex(without.rows, row, compare), 0, row) };
}

export interface LoadedPage {
  readonly rows: readonly OverviewRow[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}

/** The next page arrived: its rows follow the loaded ones (a row a live update placed already is replaced). */
export function appendPage(list: HiveList, page: LoadedPage, compare: RowComparator): HiveList {
  const ids = new Set(page.rows.map((row) => row.repository.id));
  const kept = list.rows.filter((row) => !ids.has(row.repository.id));
  const rows = [...kept, ...page.rows].sort(compare);
  return {
    rows,
    boundary: page.rows.at(-1) ?? list.boundary,
    endCursor: page.endCursor ?? list.endCursor,
    hasNextPage: page.hasNextPage,
    loading: false,
    error: null,
  };
}
