import type { RepositoryFilter, RepositoryOrder, RepositoryRow, RepositoryTotals } from '../graphql/types.js';
import { appendPage, emptyHiveList, removeRow, upsertRow, type HiveList } from './hive-list.js';
import { mergeHives, type MergedRows } from './merge.js';
import { rowComparator, type RowComparator } from './order.js';
import type { OverviewRow } from './row.js';
import { apiFilter, matchesView, type OverviewView } from './view.js';

/** One hive as the overview reads it (Apollo in the app, a fake in unit tests). */
export interface OverviewSource {
  readonly hive: { readonly id: string; readonly name: string };
  fetchPage(args: {
    first: number;
    after: string | null;
    filter: RepositoryFilter;
    orderBy: RepositoryOrder;
    reverse: boolean;
  }): Promise<{ rows: readonly RepositoryRow[]; hasNextPage: boolean; endCursor: string | null }>;
  fetchTotals(filter: RepositoryFilter): Promise<RepositoryTotals>;
}

export interface OverviewOptions {
  /** Rows of a hive's first page: enough to fill a screen, small so the first rows come soon. */
  readonly firstPageSize: number;
  readonly pageSize: number;
  /** The most rows one page request may ask for (the hive's limit): a catch-up reads at most this many. */
  readonly maxPageSize: number;
  /** Delay that gathers bursts of live messages into one summary request per hive. */
  readonly totalsDelayMs: number;
  /** setTimeout that returns its own cancel function (fake timers in tests). */
  readonly schedule: (run: () => void, ms: number) => () => void;
  readonly onError: (hiveId: string, error: unknown) => string;
}

export interface OverviewSnapshot {
  readonly merged: MergedRows;
  readonly lists: ReadonlyMap<string, HiveList>;
  /** Per hive, counted over every state (the state chips show them). */
  readonly totals: ReadonlyMap<string, RepositoryTotals>;
}

type LiveMessage = { changed: RepositoryRow } | { removed: string };

/**
 * The overview's data: one sorted page list per hive, merged on demand; live messages edit the lists in
 * place (never a refetch of pages), the summary follows with one debounced request per hive.
 */
export class OverviewStore {
  private readonly compare: RowComparator;
  private lists = new Map<string, HiveList>();
  private totals = new Map<string, RepositoryTotals>();
  private readonly pending = new Map<string, LiveMessage[]>();
  /** Hives that came back while one of their pages was in flight: caught up once it is in. */
  private readonly behind = new Set<string>();
  private readonly timers = new Map<string, () => void>();
  private readonly listeners = new Set<() => void>();
  private snapshot: OverviewSnapshot | null = null;
  private wanted = 0;
  private disposed = false;

  constructor(
    private readonly sources: readonly OverviewSource[],
    private readonly view: OverviewView,
    private readonly options: OverviewOptions,
  ) {
    this.compare = rowComparator(view.order, view.reverse);
    for (const { hive } of sources) this.lists.set(hive.id, emptyHiveList);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): OverviewSnapshot => {
    this.snapshot ??= {
      merged: mergeHives(this.lists, this.compare),
      lists: this.lists,
      totals: this.totals,
    };
    return this.snapshot;
  };

  /** First pages at once; each hive's counts once its first rows are in (rows are what people wait for). */
  start(): void {
    for (const source of this.sources) void this.loadPage(source).then(() => this.loadTotals(source));
  }

  /** The table needs `count` merged rows (what is on screen plus some): loads pages until it has them. */
  want(count: number): void {
    this.wanted = count;
    this.fill();
  }

  changed(hiveId: string, repository: RepositoryRow): void {
    this.receive(hiveId, { changed: repository });
  }

  removed(hiveId: string, id: string): void {
    this.receive(hiveId, { removed: id });
  }

  /**
   * The hive's socket came back after an outage: the messages it missed are gone, so what the overview
   * holds of it is read again once: as many rows as were loaded (one request, at most maxPageSize)
   * and its summary. Messages that come meanwhile are applied after the rows, as for a page.
   */
  catchUp(hiveId: string): void {
    const source = this.sources.find(({ hive }) => hive.id === hiveId);
    const list = this.lists.get(hiveId);
    if (!source || !list || this.disposed) return;
    if (list.loading) this.behind.add(hiveId);
    else void this.reload(source, list.rows.length);
  }

  dispose(): void {
    this.disposed = true;
    for (const cancel of this.timers.values()) cancel();
    this.listeners.clear();
  }

  private receive(hiveId: string, message: LiveMessage): void {
    const list = this.lists.get(hiveId);
    if (!list || this.disposed) return;
    // A page in flight may predate the message: apply it once the page is in.
    if (list.loading) this.pending.set(hiveId, [...(this.pending.get(hiveId) ?? []), message]);
    else this.update(hiveId, this.apply(hiveId, list, message));
    this.scheduleTotals(hiveId);
  }

  private apply(hiveId: string, list: HiveList, message: LiveMessage): HiveList {
    if ('removed' in message) return removeRow(list, message.removed);
    const row = this.row(hiveId, message.changed);
    return upsertRow(list, row, matchesView(this.view, row), this.compare);
  }

  private row(hiveId: string, repository: RepositoryRow): OverviewRow {
    const source = this.sources.find(({ hive }) => hive.id === hiveId);
    return { hiveId, hiveName: source?.hive.name ?? hiveId, repository };
  }

  private fill(): void {
    const { merged } = this.getSnapshot();
    if (merged.rows.length >= this.wanted || !merged.blockingHiveId) return;
    const source = this.sources.find(({ hive }) => hive.id === merged.blockingHiveId);
    if (source) void this.loadPage(source);
  }

  private async loadPage(source: OverviewSource): Promise<void> {
    const id = source.hive.id;
    const list = this.lists.get(id)!;
    if (this.disposed || list.loading || !list.hasNextPage || list.error !== null) return;
    this.update(id, { ...list, loading: true });
    try {
      const page = await source.fetchPage({
        first: list.endCursor === null ? this.options.firstPageSize : this.options.pageSize,
        after: list.endCursor,
        filter: apiFilter(this.view),
        orderBy: this.view.order,
        reverse: this.view.reverse,
      });
      if (this.disposed) return;
      const rows = page.rows.map((repository) => this.row(id, repository));
      let next = appendPage(this.lists.get(id)!, { ...page, rows }, this.compare);
      for (const message of this.pending.get(id) ?? []) next = this.apply(id, next, message);
      this.pending.delete(id);
      this.update(id, next);
      this.fill();
    } catch (error) {
      if (this.disposed) return;
      this.update(id, { ...this.lists.get(id)!, loading: false, error: this.options.onError(id, error) });
    }
    this.caughtUp(source);
  }

  /** The hive's first `loaded` rows (at least a first page) replace what the store holds of it. */
  private async reload(source: OverviewSource, loaded: number): Promise<void> {
    const id = source.hive.id;
    this.update(id, { ...this.lists.get(id)!, loading: true });
    try {
      const page = await source.fetchPage({
        first: Math.min(this.options.maxPageSize, Math.max(this.options.firstPageSize, loaded)),
        after: null,
        filter: apiFilter(this.view),
        orderBy: this.view.order,
        reverse: this.view.reverse,
      });
      if (this.disposed) return;
      const rows = page.rows.map((repository) => this.row(id, repository));
      let next = appendPage(emptyHiveList, { ...page, rows }, this.compare);
      for (const message of this.pending.get(id) ?? []) next = this.apply(id, next, message);
      this.pending.delete(id);
      this.update(id, next);
      void this.loadTotals(source);
      this.fill();
    } catch (error) {
      if (this.disposed) return;
      this.update(id, { ...this.lists.get(id)!, loading: false, error: this.options.onError(id, error) });
    }
    this.caughtUp(source);
  }

  /** A catch-up asked for while a request was in flight runs once none is. */
  private caughtUp(source: OverviewSource): void {
    const id = source.hive.id;
    const list = this.lists.get(id)!;
    if (this.disposed || !this.behind.has(id) || list.loading) return;
    this.behind.delete(id);
    void this.reload(source, list.rows.length);
  }

  private async loadTotals(source: OverviewSource): Promise<void> {
    try {
      const totals = await source.fetchTotals(apiFilter(this.view, false));
      if (this.disposed) return;
      this.totals = new Map(this.totals).set(source.hive.id, totals);
      this.emit();
    } catch {
      // The page request reports the hive's trouble; the counts simply stay unknown.
    }
  }

  private scheduleTotals(hiveId: string): void {
    const source = this.sources.find(({ hive }) => hive.id === hiveId);
    if (!source || this.timers.has(hiveId)) return;
    const cancel = this.options.schedule(() => {
      this.timers.delete(hiveId);
      void this.loadTotals(source);
    }, this.options.totalsDelayMs);
    this.timers.set(hiveId, cancel);
  }

  private update(hiveId: string, list: HiveList): void {
    if (this.lists.get(hiveId) === list) return;
    this.lists = new Map(this.lists).set(hiveId, list);
    this.emit();
  }

  private emit(): void {
    this.snapshot = null;
    for (const listener of this.listeners) listener();
  }
}
