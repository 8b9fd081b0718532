import type { Em } from '../../db/orm.js';
import { toDate } from '../../db/sql-values.js';
import { BadUserInputError } from '../../graphql/errors.js';
import type { AuthInfo } from '../auth/index.js';
import { ATTENTION_RANK, HealthState } from './health-state.js';
import { decodeCursor, encodeCursor, type PagePosition } from './repository-cursor.js';
import { viewsOfRows, visibility } from './repository-list.js';
import { afterSql, and, filterSql, orderBySql, sqlOf, type Where } from './repository-page-sql.js';
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

function visible(auth: AuthInfo, filter: RepositoryFilter | null | undefined): Where {
  return and(visibility(auth), filterSql(filter));
}

/**
 * One page of the repositories the caller may see (contract §8): keyset-paged on the order's index,
 * filtered in SQL; the rows become the same plain views as every other read of a repository. A fixed
 * number of statements: the page, the count, and the views' keys, shares, locations, owners and groups.
 */
export async function readRepositoryPage(em: Em, auth: AuthInfo, args: PageArgs): Promise<RepositoryPage> {
  const { first, orderBy, reverse } = args;
  if (!Number.isInteger(first) || first < PAGE_SIZE.min || first > PAGE_SIZE.max)
    throw BadUserInputError.fromProblems([
      { field: 'first', message: `from ${PAGE_SIZE.min} to ${PAGE_SIZE.max}` },
    ]);
  const where = visible(auth, args.filter);
  const dateParam = (ms: number) => em.getPlatform().processDateProperty(new Date(ms)) as unknown;
  const page =
    args.after == null ? where : and(where, afterSql(decodeCursor(args.after, orderBy, reverse), dateParam));
  const [rows, counted] = await Promise.all([
    sqlOf<Row>(
      em,
      `select r.* from repositories r where ${page.sql} order by ${orderBySql(orderBy, reverse)} limit ${first + 1}`,
      page.params,
    ),
    sqlOf<{ n: unknown }>(em, `select count(*) as n from repositories r where ${where.sql}`, where.params),
  ]);
  const shown = rows.slice(0, first);
  const views = await viewsOfRows(em, shown);
  const edges = views.map((node, i) => ({
    node,
    cursor: encodeCursor(positionOf(shown[i]!, orderBy, reverse)),
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: Number(counted[0]?.n ?? 0),
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
  const where = visible(auth, filter);
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
