import { useCallback, useLayoutEffect, useState, useSyncExternalStore } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import {
  REPOSITORY_CHANGED,
  REPOSITORY_PAGE,
  REPOSITORY_REMOVED,
  REPOSITORY_TOTALS,
} from '../graphql/operations.js';
import type { HiveConnection } from '../hives/hive-connection.js';
import { OverviewStore, type OverviewSnapshot, type OverviewSource } from '../overview/overview-store.js';
import { hivesOfView } from '../overview/view.js';
import { decodeView, encodeView } from '../overview/view-url.js';
import type { OverviewView } from '../overview/view.js';

/** A screen and a half of rows per hive first (the first rows come sooner), then pages of 100. */
export const FIRST_PAGE_SIZE = 40;
export const PAGE_SIZE = 100;
/** The hive's largest page (repositoryPage's `first`): a catch-up after an outage reads at most this. */
export const MAX_PAGE_SIZE = 500;

/** One hive through its Apollo client; pages bypass the normalised cache (the store keeps them). */
function apolloSource({ hive, client }: HiveConnection): OverviewSource {
  return {
    hive: { id: hive.id, name: hive.name },
    fetchPage: async (variables) => {
      const { data } = await client.query({ query: REPOSITORY_PAGE, variables, fetchPolicy: 'no-cache' });
      if (!data) throw new Error('the hive sent no page');
      const { edges, pageInfo } = data.repositoryPage;
      return { rows: edges.map((edge) => edge.node), ...pageInfo };
    },
    fetchTotals: async (filter) => {
      const { data } = await client.query({
        query: REPOSITORY_TOTALS,
        variables: { filter },
        fetchPolicy: 'no-cache',
      });
      if (!data) throw new Error('the hive sent no summary');
      return data.repositorySummary;
    },
  };
}

const noStore = (): (() => void) => () => undefined;
const noSnapshot = (): null => null;

/**
 * The overview's rows for a view: a store per (hives, view) that pages each hive and applies the
 * hives' repositoryChanged / repositoryRemoved messages. `need(n)` asks for n merged rows.
 */
export function useOverview(
  hives: readonly HiveConnection[],
  view: OverviewView,
): { snapshot: OverviewSnapshot | null; need: (count: number) => void } {
  const key = encodeView(view);
  const [store, setStore] = useState<OverviewStore | null>(null);
  // A layout effect: the first pages are asked for before the first paint, not after it.
  useLayoutEffect(() => {
    const current = decodeView(key);
    const ids = hivesOfView(
      current,
      hives.map(({ hive }) => hive.id),
    );
    const shown = hives.filter(({ hive }) => ids.includes(hive.id));
    const created = new OverviewStore(shown.map(apolloSource), current, {
      firstPageSize: FIRST_PAGE_SIZE,
      pageSize: PAGE_SIZE,
      maxPageSize: MAX_PAGE_SIZE,
      totalsDelayMs: 300,
      schedule: (run, ms) => {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      },
      onError: (_hiveId, error) => errorMessage(error),
    });
    const live = shown.flatMap(({ hive, client }) => [
      client.subscribe({ query: REPOSITORY_CHANGED }).subscribe(({ data }) => {
        if (data) created.changed(hive.id, data.repositoryChanged);
      }),
      client.subscribe({ query: REPOSITORY_REMOVED }).subscribe(({ data }) => {
        if (data) created.removed(hive.id, data.repositoryRemoved);
      }),
    ]);
    // A hive whose socket came back missed the messages of its outage: its rows and summary are read
    // again once (not the other hives', and the loaded window stays as long as it was).
    const returns = shown.map(({ hive, status }) => {
      let seen = status.reconnects;
      return status.subscribe(() => {
        if (status.reconnects === seen) return;
        seen = status.reconnects;
        created.catchUp(hive.id);
      });
    });
    created.start();
    setStore(created);
    return () => {
      live.forEach((subscription) => subscription.unsubscribe());
      returns.forEach((stop) => stop());
      created.dispose();
    };
  }, [hives, key]);
  const snapshot = useSyncExternalStore(store?.subscribe ?? noStore, store?.getSnapshot ?? noSnapshot);
  const need = useCallback((count: number) => store?.want(count), [store]);
  return { snapshot, need };
}
