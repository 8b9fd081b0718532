import { useEffect, useState } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { REPOSITORIES } from '../graphql/operations.js';
import type { RepositoryRow } from '../graphql/types.js';
import type { HiveConnection } from '../hives/hive-connection.js';

export interface HiveRepositories {
  readonly loading: boolean;
  readonly error: string | null;
  readonly repositories: readonly RepositoryRow[];
}

/** Watches `repositories` on every hive's client at once; cache updates (subscriptions) flow in live. */
export function useAllRepositories(hives: readonly HiveConnection[]): ReadonlyMap<string, HiveRepositories> {
  const [state, setState] = useState<ReadonlyMap<string, HiveRepositories>>(new Map());
  useEffect(() => {
    const subscriptions = hives.map(({ hive, client }) =>
      client.watchQuery({ query: REPOSITORIES }).subscribe((result) => {
        const entry: HiveRepositories = {
          loading: result.loading,
          error: result.error ? errorMessage(result.error) : null,
          repositories: result.dataState === 'complete' ? result.data.repositories : [],
        };
        setState((previous) => new Map(previous).set(hive.id, entry));
      }),
    );
    return () => subscriptions.forEach((subscription) => subscription.unsubscribe());
  }, [hives]);
  return state;
}
