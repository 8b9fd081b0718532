import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Em } from '../db/orm.js';
import type { Clock } from '../adapters/clock.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import type { Context } from './context.js';

/**
 * Root fields whose answer depends only on the tables data_versions tracks (READ_MODEL_TABLES of the
 * repository read model), on the caller and on the clock through `Freshness`. Another field joins only
 * when that holds for everything it can select. Health changes with the clock: a shown state reports
 * its end to Freshness, and the stored state behind the page's order, filter and counts changes only
 * by a write (the health job's), which raises the version.
 */
const CACHEABLE_ROOT_FIELDS: ReadonlySet<string> = new Set([
  'repositories',
  'repositoryPage',
  'repositorySummary',
]);

/** How long an answer stays true with no data change: fields that depend on the time report here. */
export class Freshness {
  #until = Number.POSITIVE_INFINITY;

  /** The answer being built stops being true at `at` (e.g. a repository becomes stale then). */
  expireAt(at: Date): void {
    if (at.getTime() < this.#until) this.#until = at.getTime();
  }

  get until(): number {
    return this.#until;
  }
}

/**
 * The version the data_versions triggers raise on every change to a tracked table (one statement): the
 * sum of its rows (MariaDB spreads writers over several rows), which only ever grows.
 */
export async function readDataVersion(em: Em): Promise<string> {
  const rows = await em
    .getConnection()
    .execute<{ version: unknown }[]>('select sum(version) as version from data_versions');
  const version = rows[0]?.version;
  // a number (SQLite), a decimal string (MariaDB's SUM) or a bigint
  if (typeof version === 'number' || typeof version === 'string' || typeof version === 'bigint')
    return String(version);
  throw new Error('data_versions is empty: run the migrations');
}

type Entry = { version: string; until: number; text: string };

/** Serialised answers by key, least recently used out first, bounded by their total length. */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #size = 0;

  constructor(readonly maxBytes: number) {}

  /** The answer stored under `key` when it was read at `version` and has not expired by `now`. */
  get(key: string, version: string, now: number): string | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || entry.until <= now) {
      this.#delete(key, entry);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.text;
  }

  set(key: string, entry: Entry): void {
    const old = this.#entries.get(key);
    if (old) this.#delete(key, old);
    // string length counts UTF-16 units; JSON answers are mostly ASCII, one byte each in V8
    if (entry.text.length > this.maxBytes) return;
    this.#entries.set(key, entry);
    this.#size += entry.text.length;
    for (const [oldest, e] of this.#entries) {
      if (this.#size <= this.maxBytes) break;
      this.#delete(oldest, e);
    }
  }

  get size(): number {
    return this.#size;
  }

  #delete(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#size -= entry.text.length;
  }
}

/** Answers whose text is known already: stringifyResult sends it instead of serialising again. */
const serialised = new WeakMap<object, string>();

/** For ApolloServer's stringifyResult: the stored text of a cached or just-cached answer, else JSON. */
export function stringifyResult(result: { data?: unknown; errors?: unknown; extensions?: unknown }): string {
  const text =
    result.errors === undefined && result.extensions === undefined && typeof result.data === 'object'
      ? serialised.get(result.data as object)
      : undefined;
  return text ?? JSON.stringify(result);
}

function cacheable(operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query' || operation.directives?.length) return false;
  return operation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && !s.directives?.length && CACHEABLE_ROOT_FIELDS.has(s.name.value),
  );
}

/**
 * Whose answer this is. Admins see everything and every field answers them alike (email, groups: "self
 * or admin"), so they share one answer per scope; anyone else has their own. A field reachable from a
 * cacheable root field must not depend on which admin asks.
 */
function callerKey(auth: AuthInfo): string {
  if (auth.isAdmin) return `admin|${auth.scope}`;
  return `${auth.userId}|${auth.scope}|${[...auth.groupIds].sort((a, b) => a - b).join(',')}`;
}

type Pending = { key: string; version: string };

/**
 * Apollo plugin: a cacheable query (see CACHEABLE_ROOT_FIELDS) by an authenticated caller is answered
 * from the cache while data_versions still holds the version read before the answer was built and no
 * field's Freshness has run out. The version is read before executing, so a change committed during
 * the execution makes the stored answer a miss next time rather than a stale hit.
 */
export function responseCachePlugin(cache: ResponseCache, clock: Clock): ApolloServerPlugin<Context> {
  return {
    requestDidStart: async () => {
      let pending: Pending | undefined;
      return {
        responseForOperation: async ({ operation, contextValue, queryHash, request }) => {
          const auth = contextValue.auth;
          if (!auth || !cacheable(operation)) return null;
          const key = [
            callerKey(auth),
            queryHash,
            request.operationName ?? '',
            JSON.stringify(request.variables ?? {}),
          ].join('\n');
          const version = await readDataVersion(contextValue.em);
          const text = cache.get(key, version, clock.now().getTime());
          if (text === undefined) {
            pending = { key, version };
            return null;
          }
          const data = {};
          serialised.set(data, text);
          return { http: { headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
        willSendResponse: async ({ response, contextValue }) => {
          if (!pending || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors !== undefined || result.extensions !== undefined || !result.data) return;
          const text = JSON.stringify({ data: result.data });
          serialised.set(result.data, text);
          const until = contextValue.freshness.until;
          if (until > clock.now().getTime())
            cache.set(pending.key, { version: pending.version, until, text });
        },
      };
    },
  };
}
