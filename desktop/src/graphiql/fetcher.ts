import type { GraphiQLProps } from 'graphiql';
import type { ExecutionResult } from 'graphql-ws';
import type { BorgHiveApi } from '../shared/api.js';
import { readSessionToken } from '../renderer/hives/web-session.js';
import { graphqlUrl } from '../renderer/hives/create-client.js';

type Fetcher = GraphiQLProps['fetcher'];

/** Where the explorer sends queries, and with which token: the chosen hive (desktop) or this page's origin. */
export async function resolveTarget(
  bridge: BorgHiveApi | undefined,
): Promise<{ url: string; token: string | null }> {
  if (!bridge) return { url: graphqlUrl(window.location.origin), token: readSessionToken() };
  const hiveId = new URLSearchParams(window.location.search).get('hive');
  const hive = (await bridge.listHives()).find((h) => h.id === hiveId);
  if (!hive) throw new Error('unknown hive');
  return { url: graphqlUrl(hive.url), token: await bridge.getToken(hive.id) };
}

/** A plain HTTP fetcher with the hive's token as `Authorization: Bearer …`. */
export function createFetcher(url: string, token: string | null): Fetcher {
  return async (params) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(params),
    });
    return (await response.json()) as ExecutionResult;
  };
}
