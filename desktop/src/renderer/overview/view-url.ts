import type { HealthState, RepositoryOrder } from '../graphql/types.js';
import { defaultView, HEALTH_STATES, ORDERS, type OverviewView } from './view.js';

const isState = (value: string): value is HealthState => (HEALTH_STATES as readonly string[]).includes(value);
const isOrder = (value: string): value is RepositoryOrder => (ORDERS as readonly string[]).includes(value);

function list(value: string | null): string[] {
  return (value ?? '').split(',').filter((item) => item !== '');
}

/**
 * The view as the query part of the hash route (`#/?q=db&state=FAILED,STALE&sort=NAME&reverse=1`):
 * only what differs from the default, so the plain overview stays `#/`.
 */
export function encodeView(view: OverviewView): string {
  const params = new URLSearchParams();
  if (view.search.trim()) params.set('q', view.search.trim());
  if (view.states.length > 0)
    params.set('state', HEALTH_STATES.filter((s) => view.states.includes(s)).join(','));
  if (view.hiveIds.length > 0) params.set('hive', view.hiveIds.join(','));
  if (view.owner) params.set('owner', `${view.owner.hiveId}:${view.owner.id}`);
  if (view.order !== defaultView.order) params.set('sort', view.order);
  if (view.reverse) params.set('reverse', '1');
  return params.toString();
}

/** Reads a copied link back; whatever is not understood is left at its default. */
export function decodeView(query: string): OverviewView {
  const params = new URLSearchParams(query);
  const sort = params.get('sort') ?? '';
  const owner = /^(.+):(\d+)$/.exec(params.get('owner') ?? '');
  return {
    search: params.get('q') ?? '',
    states: HEALTH_STATES.filter((state) => list(params.get('state')).filter(isState).includes(state)),
    hiveIds: [...new Set(list(params.get('hive')))],
    owner: owner ? { hiveId: owner[1]!, id: owner[2]! } : null,
    order: isOrder(sort) ? sort : defaultView.order,
    reverse: params.get('reverse') === '1',
  };
}
