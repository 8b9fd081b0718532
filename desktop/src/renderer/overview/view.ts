import type { HealthState, RepositoryFilter, RepositoryOrder } from '../graphql/types.js';
import type { OverviewRow } from './row.js';

export const HEALTH_STATES: readonly HealthState[] = [
  'FAILED',
  'STALE',
  'NEVER_BACKED_UP',
  'IN_PROGRESS',
  'UNKNOWN',
  'OK',
];
export const ORDERS: readonly RepositoryOrder[] = ['ATTENTION', 'NAME', 'LAST_BACKUP', 'USAGE'];

/** What the overview shows: search, filter chips and sort header. The URL keeps it (see view-url.ts). */
export interface OverviewView {
  readonly search: string;
  /** Empty: every state. */
  readonly states: readonly HealthState[];
  /** Empty: every hive. */
  readonly hiveIds: readonly string[];
  /** Owner ids are a hive's own: an owner filter names the hive too and shows only that hive. */
  readonly owner: { readonly hiveId: string; readonly id: string } | null;
  readonly order: RepositoryOrder;
  readonly reverse: boolean;
}

export const defaultView: OverviewView = {
  search: '',
  states: [],
  hiveIds: [],
  owner: null,
  order: 'ATTENTION',
  reverse: false,
};

/** The hives the view reads, in the order they are configured. */
export function hivesOfView(view: OverviewView, hiveIds: readonly string[]): string[] {
  if (view.owner) return hiveIds.filter((id) => id === view.owner?.hiveId);
  return view.hiveIds.length === 0 ? [...hiveIds] : hiveIds.filter((id) => view.hiveIds.includes(id));
}

/** The API filter for one hive; `withStates: false` for the summary that counts every state (the chips). */
export function apiFilter(view: OverviewView, withStates = true): RepositoryFilter {
  const search = view.search.trim();
  return {
    ...(search ? { search } : {}),
    ...(withStates && view.states.length > 0 ? { states: view.states } : {}),
    ...(view.owner ? { ownerId: view.owner.id } : {}),
  };
}

/** The server's filter applied to one row: whether a repository that changed still belongs to the view. */
export function matchesView(view: OverviewView, row: OverviewRow): boolean {
  const { repository } = row;
  if (view.owner && (view.owner.hiveId !== row.hiveId || view.owner.id !== repository.owner.id)) return false;
  if (view.hiveIds.length > 0 && !view.hiveIds.includes(row.hiveId)) return false;
  if (view.states.length > 0 && !view.states.includes(repository.health.state)) return false;
  const search = view.search.trim().toLowerCase();
  if (!search) return true;
  return [repository.name, repository.repoUser, repository.owner.username].some((text) =>
    text.toLowerCase().includes(search),
  );
}

/** The sort header's click: the same column again reverses, another column starts in its natural order. */
export function sortBy(view: OverviewView, order: RepositoryOrder): OverviewView {
  return { ...view, order, reverse: view.order === order ? !view.reverse : false };
}

/** A chip's click: adds the value to the set, or takes it out. */
export function toggle<T>(values: readonly T[], value: T): T[] {
  return values.includes(value) ? values.filter((v) => v !== value) : [...values, value];
}
