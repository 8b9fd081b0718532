import { SqlitePlatform } from '@mikro-orm/sql';
import type { Em } from '../../db/orm.js';
import { toDate } from '../../db/sql-values.js';
import { BadUserInputError } from '../../graphql/errors.js';
import type { AuthInfo } from '../auth/index.js';
import { ATTENTION_RANK, HealthState } from './health-state.js';
import { decodeCursor, encodeCursor, type PagePosition } from './repository-cursor.js';
import { viewsOfRows, visibility } from './repository-list.js';
import { afterSql, and, filterSql, orderBySql, searchOf, sqlOf, type Where } from './repository-page-sql.js';
import {
  RepositoryOrder,
  type RepositoryFilter,
  type RepositoryPage,
  type RepositorySummary,
} from './repository-page.types.js';

export const PAGE_SIZE = { default: 50, min: 1, max: 500 } as const;

export interface PageArgs {
  first: number;
  after: string | null | undefined;
  filter: RepositoryFilter | null | undefined;
  orderBy: RepositoryOrder;
  reverse: boolean;
}

type Row = Record<string, unknown>;

function positionOf(r: Row, order: RepositoryOrder, reverse: boolean): PagePosition {
  const base = { order, reverse, name: String(r.name), id: Number(r.id) };
  switch (order) {
    case RepositoryOrder.ATTENTION:
      return { ...base, first: Number(r.health_rank) };
    case RepositoryOrder.NAME:
      return { ...base, first: null };
    case RepositoryOrder.LAST_BACKUP:
      return { ...base, first: toDate(r.last_backup_at)?.getTime() ?? null };
    case RepositoryOrder.USAGE:
      return { ...base, first: Number(r.usage_order) };
  }
}

function visible(em: Em, auth: AuthInfo, filter: RepositoryFilter | null | undefined): Where {
  return and(visibility(auth), filterSql(filter, em.getPlatform() instanceof SqlitePlatform));
}

/**
 * A search reads the ids of its matches first, up to this many: then the count is their number and the
 * page is read among them by primary key, one scan of the table instead of two (a substring match uses
 * no index: the page and the count would each test every visible row). A broader search pages as an
 * unsearched filter does (its page is found near the top of the order) and counts with a second scan.
 */
export const SEARCH_IDS = 5000;

/** The page's rows (`first` + 1 at most, to tell whether there is more) and the total of `where`. */
async function pageRows(
  em: Em,
  where: Where,
  after: Where | null,
  order: string,
  first: number,
  search: boolean,
  searchIds: number,
): Promise<{ rows: Row[]; total: number }> {
  const limit = `order by ${order} limit ${first + 1}`;
  if (search) {
    const ids = (
      await sqlOf<{ id: unknown }>(
        em,
        `select r.id from repositories r where ${where.sql} limit ${searchIds + 1}`,
        where.params,
      )
    ).map((r) => Number(r.id));
    if (ids.length <= searchIds) {
      if (ids.length === 0) return { rows: [], total: 0 };
      // `where` again: a row changed since the ids were read is judged as it is now (checked on the
      // few rows the ids reach, by primary key)
      const among = and(
        { sql: `r.id in (${ids.map(() => '?').join(',')})`, params: ids },
        where,
        after ?? ALL,
      );
      const rows = await sqlOf<Row>(
        em,
        `select r.* from repositories r where ${among.sql} ${limit}`,
        among.params,
      );
      return { rows, total: ids.length };
    }
  }
  const page = after ? and(where, after) : where;
  const [rows, counted] = await Promise.all([
    sqlOf<Row>(em, `select r.* from repositories r where ${page.sql} ${limit}`, page.params),
    sqlOf<{ n: unknown }>(em, `select count(*) as n from repositories r where ${where.sql}`, where.params),
  ]);
  return { rows, total: Number(counted[0]?.n ?? 0) };
}

const ALL: Where = { sql: '1 = 1', params: [] };

/**
 * One page of the repositories the caller may see (contract §8): keyset-paged on the order's index,
 * filtered in SQL; the rows become the same plain views as every other read of a repository. A fixed
 * number of statements: the page and the count (a search: its ids, then the page among them; or all
 * three), and the views' keys, shares, locations, owners and groups.
 */
export async function readRepositoryPage(
  em: Em,
  auth: AuthInfo,
  args: PageArgs,
  /** tests: a smaller bound, to take the broad search's way with few rows */
  searchIds = SEARCH_IDS,
): Promise<RepositoryPage> {
  const { first, orderBy, reverse } = args;
  if (!Number.isInteger(first) || first < PAGE_SIZE.min || first > PAGE_SIZE.max)
    throw BadUserInputError.fromProblems([
      { field: 'first', message: `from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}` },
    ]);
  const where = visible(em, auth, args.filter);
  const dateParam = (ms: number) => em.getPlatform().processDateProperty(new Date(ms)) as unknown;
  const after = args.after == null ? null : afterSql(decodeCursor(args.after, orderBy, reverse), dateParam);
  const { rows, total } = await pageRows(
    em,
    where,
    after,
    orderBySql(orderBy, reverse),
    first,
    searchOf(args.filter) !== '',
    searchIds,
  );
  const shown = rows.slice(0, first);
  const views = await viewsOfRows(em, shown);
  const edges = views.map((node, i) => ({
    node,
    cursor: encodeCursor(positionOf(shown[i]!, orderBy, reverse)),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: total,
  };
}

const COUNTED: [keyof RepositorySummary, HealthState][] = [
  ['neverBackedUp', HealthState.NEVER_BACKED_UP],
  ['ok', HealthState.OK],
  ['inProgress', HealthState.IN_PROGRESS],
  ['stale', HealthState.STALE],
  ['failed', HealthState.FAILED],
  ['unknown', HealthState.UNKNOWN],
];

/**
 * Counts over what the caller may see (and the filter keeps), in one statement: one row per health
 * state, read for an admin from the index (health_rank, usage_bytes) alone.
 */
export async function readRepositorySummary(
  em: Em,
  auth: AuthInfo,
  filter: RepositoryFilter | null | undefined,
): Promise<RepositorySummary> {
  const where = visible(em, auth, filter);
  const rows = await sqlOf<Row>(
    em,
    `select r.health_rank as rank, count(*) as n, sum(r.usage_bytes) as usage_bytes from repositories r
     where ${where.sql} group by r.health_rank`,
    where.params,
  );
  const summary: RepositorySummary = {
    total: 0,
    usageBytes: 0,
    neverBackedUp: 0,
    ok: 0,
    inProgress: 0,
    stale: 0,
    failed: 0,
    unknown: 0,
  };
  for (const row of rows) {
    const n = Number(row.n);
    summary.total += n;
    summary.usageBytes += Number(row.usage_bytes ?? 0);
    const field = COUNTED.find(([, state]) => ATTENTION_RANK[state] === Number(row.rank))?.[0];
    if (field) summary[field] += n;
  }
  return summary;
}
