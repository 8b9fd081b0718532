import type { HiveList } from './hive-list.js';
import type { RowComparator } from './order.js';
import type { OverviewRow } from './row.js';

export interface MergedRows {
  /** Rows of every hive in order, up to the point every hive has loaded past. */
  readonly rows: readonly OverviewRow[];
  /** Every hive has loaded all it has: `rows` is the whole list. */
  readonly complete: boolean;
  /** The hive whose next page moves the merged list on (null when complete or waiting for a first page). */
  readonly blockingHiveId: string | null;
}

/**
 * The position up to which the merged list is certain: the lowest boundary among the hives that have
 * more pages. A row of any hive that sorts after it might still be preceded by an unloaded row.
 * `undefined` means no limit; `null` that some hive has not answered its first page yet.
 */
function frontier(
  lists: ReadonlyMap<string, HiveList>,
  compare: RowComparator,
): { row: OverviewRow; hiveId: string } | null | undefined {
  let lowest: { row: OverviewRow; hiveId: string } | undefined;
  for (const [hiveId, list] of lists) {
    // A hive that failed its first page is left out (the others still show); one that failed later
    // still holds the merge at what it loaded, so nothing of it is skipped over.
    if (!list.hasNextPage || (list.error !== null && list.boundary === null)) continue;
    if (list.boundary === null) return null;
    if (!lowest || compare(list.boundary, lowest.row) < 0) lowest = { row: list.boundary, hiveId };
  }
  return lowest;
}

/**
 * k-way merge of the hives' sorted rows, cut at the frontier: a row is shown only once every other hive
 * has loaded past it (or has nothing more), so it never appears above a row that belongs before it.
 */
export function mergeHives(lists: ReadonlyMap<string, HiveList>, compare: RowComparator): MergedRows {
  const limit = frontier(lists, compare);
  if (limit === null) return { rows: [], complete: false, blockingHiveId: null };
  const sources = [...lists.values()].map((list) => list.rows);
  const heads = sources.map(() => 0);
  const rows: OverviewRow[] = [];
  for (;;) {
    let best = -1;
    for (let source = 0; source < sources.length; source += 1) {
      const candidate = sources[source]![heads[source]!];
      if (candidate && (best < 0 || compare(candidate, sources[best]![heads[best]!]!) < 0)) best = source;
    }
    if (best < 0) break;
    const next = sources[best]![heads[best]!]!;
    if (limit && compare(next, limit.row) > 0) break;
    rows.push(next);
    heads[best]! += 1;
  }
  return { rows, complete: limit === undefined, blockingHiveId: limit?.hiveId ?? null };
}
