import type { RepositoryFilter, RepositoryRow, RepositoryTotals } from '../graphql/types.js';
import { rowComparator } from './order.js';
import type { OverviewSource } from './overview-store.js';
import type { OverviewRow } from './row.js';
import { defaultView, matchesView } from './view.js';

/**
 * A hive for the overview's unit tests: keyset pages over an in-memory list, sorted by the same
 * comparator (the server's order within one hive). `hold()` keeps the next page request waiting.
 */
export class FakeHive implements OverviewSource {
  readonly hive: { id: string; name: string };
  pageRequests = 0;
  totalsRequests = 0;
  private readonly cursors = new Map<string, OverviewRow>();
  private gate: Promise<void> | null = null;

  constructor(
    id: string,
    public repositories: RepositoryRow[],
  ) {
    this.hive = { id, name: `hive ${id}` };
  }

  /** The next page request waits until the returned function is called. */
  hold(): () => void {
    let release = (): void => undefined;
    this.gate = new Promise((resolve) => (release = resolve));
    return release;
  }

  private rows(filter: RepositoryFilter): OverviewRow[] {
    const view = {
      ...defaultView,
      search: filter.search ?? '',
      states: filter.states ?? [],
      owner: filter.ownerId ? { hiveId: this.hive.id, id: String(filter.ownerId) } : null,
    };
    return this.repositories
      .map((repository) => ({ hiveId: this.hive.id, hiveName: this.hive.name, repository }))
      .filter((row) => matchesView(view, row));
  }

  fetchPage: OverviewSource['fetchPage'] = async ({ first, after, filter, orderBy, reverse }) => {
    this.pageRequests += 1;
    const gate = this.gate;
    this.gate = null;
    const compare = rowComparator(orderBy, reverse);
    const sorted = this.rows(filter).sort(compare);
    const from = after === null ? null : this.cursors.get(after)!;
    const rest = from ? sorted.filter((row) => compare(row, from) > 0) : sorted;
    const page = rest.slice(0, first);
    const last = page.at(-1);
    const endCursor = last ? `c${this.cursors.size}` : null;
    if (last && endCursor) this.cursors.set(endCursor, last);
    await gate;
    return { rows: page.map((row) => row.repository), hasNextPage: rest.length > first, endCursor };
  };

  fetchTotals = async (filter: RepositoryFilter): Promise<RepositoryTotals> => {
    this.totalsRequests += 1;
    const rows = this.rows(filter);
    const count = (state: string): number => rows.filter((r) => r.repository.health.state === state).length;
    return {
      total: rows.length,
      usageBytes: rows.reduce((sum, r) => sum + (r.repository.usageBytes ?? 0), 0),
      neverBackedUp: count('NEVER_BACKED_UP'),
      ok: count('OK'),
      inProgress: count('IN_PROGRESS'),
      stale: count('STALE'),
      failed: count('FAILED'),
      unknown: count('UNKNOWN'),
    };
  };
}
