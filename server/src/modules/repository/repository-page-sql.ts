import type { Em } from '../../db/orm.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { ATTENTION_RANK } from './health-state.js';
import type { PagePosition } from './repository-cursor.js';
import { RepositoryOrder, type RepositoryFilter } from './repository-page.types.js';

export interface Where {
  sql: string;
  params: unknown[];
}

interface OrderKey {
  column: string;
  desc: boolean;
}

const NAME_ID: OrderKey[] = [
  { column: 'r.name', desc: false },
  { column: 'r.id', desc: false },
];

/**
 * The sort keys of each order, each served by one index of `repositories` (see the entity): health_rank,
 * name, id | name, id | last_backup_at, name, id | usage_order, name, id. Both dialects put NULL below
 * every value, which is the contract's order for LAST_BACKUP (never backed up first; reversed, last);
 * usage_order is -usage_bytes with unknown usage after every known one.
 */
export const ORDER_KEYS: Readonly<Record<RepositoryOrder, { first: OrderKey | null; rest: OrderKey[] }>> = {
  [RepositoryOrder.ATTENTION]: { first: { column: 'r.health_rank', desc: false }, rest: NAME_ID },
  [RepositoryOrder.NAME]: { first: null, rest: NAME_ID },
  [RepositoryOrder.LAST_BACKUP]: { first: { column: 'r.last_backup_at', desc: false }, rest: NAME_ID },
  [RepositoryOrder.USAGE]: { first: { column: 'r.usage_order', desc: false }, rest: NAME_ID },
};

export function orderBySql(order: RepositoryOrder, reverse: boolean): string {
  const { first, rest } = ORDER_KEYS[order];
  return [...(first ? [first] : []), ...rest]
    .map((k) => `${k.column} ${k.desc !== reverse ? 'desc' : 'asc'}`)
    .join(', ');
}

/**
 * Rows strictly after `at` in the order: (k1 after) or (k1 equal and ((k2 after) or ...)), with NULL
 * below every value; plus a plain bound on the first key so the index range starts at the cursor
 * instead of at the top.
 */
export function afterSql(at: PagePosition, dateParam: (ms: number) => unknown): Where {
  const { first, rest } = ORDER_KEYS[at.order];
  const keys: { key: OrderKey; value: unknown; nullable: boolean }[] = [
    ...(first
      ? [
          {
            key: first,
            value:
              at.first === null
                ? null
                : at.order === RepositoryOrder.LAST_BACKUP
                  ? dateParam(at.first)
                  : at.first,
            nullable: at.order === RepositoryOrder.LAST_BACKUP,
          },
        ]
      : []),
    { key: rest[0]!, value: at.name, nullable: false },
    { key: rest[1]!, value: at.id, nullable: false },
  ];
  const params: unknown[] = [];
  const step = (i: number): string => {
    const { key, value, nullable } = keys[i]!;
    const asc = key.desc === at.reverse;
    let after: string;
    if (value === null) after = asc ? `${key.column} is not null` : '1 = 0';
    else {
      params.push(value);
      after = `${key.column} ${asc ? '>' : '<'} ?${!asc && nullable ? ` or ${key.column} is null` : ''}`;
    }
    if (i === keys.length - 1) return `(${after})`;
    let equal: string;
    if (value === null) equal = `${key.column} is null`;
    else {
      params.push(value);
      equal = `${key.column} = ?`;
    }
    return `(${after} or (${equal} and ${step(i + 1)}))`;
  };
  const tree = step(0);
  const lead = keys[0]!;
  if (lead.value === null) return { sql: tree, params };
  const asc = lead.key.desc === at.reverse;
  const bound = `(${lead.key.column} ${asc ? '>=' : '<='} ?${!asc && lead.nullable ? ` or ${lead.key.column} is null` : ''})`;
  return { sql: `${bound} and ${tree}`, params: [lead.value, ...params] };
}

const escapeLike = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

function filterId(raw: string | null | undefined, field: string): number | null {
  if (raw == null) return null;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) <= 0)
    throw BadUserInputError.fromProblems([{ field: `filter.${field}`, message: 'not an id' }]);
  return Number(raw);
}

export const MAX_SEARCH = 100;

/** The search of a filter, trimmed and lower-cased ('' for none). */
export function searchOf(filter: RepositoryFilter | null | undefined): string {
  return filter?.search?.trim().toLowerCase() ?? '';
}

/**
 * `column` contains the (lower-case) search, ignoring ASCII case: the contract's search. SQLite's LIKE
 * ignores ASCII case by itself (and its lower() folds ASCII only: lower() on every row would change
 * nothing but the cost). On MariaDB lower() then a binary LIKE: the columns' case-insensitive collations
 * would also fold accents ('ä' matching 'a'), and a byte comparison is cheaper than a collation's.
 */
function contains(column: string, sqlite: boolean): string {
  return sqlite ? `${column} like ? escape '!'` : `lower(${column}) like binary ? escape '!'`;
}

/** The filter as SQL over `repositories r` (every condition holds), for SQLite or MariaDB. */
export function filterSql(filter: RepositoryFilter | null | undefined, sqlite: boolean): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  const search = searchOf(filter);
  if (search.length > MAX_SEARCH)
    throw BadUserInputError.fromProblems([
      { field: 'filter.search', message: `at most ${MAX_SEARCH} characters` },
    ]);
  if (search !== '') {
    const like = `%${escapeLike(search)}%`;
    parts.push(
      `(${contains('r.name', sqlite)} or ${contains('r.repo_user', sqlite)} or r.owner_id in (select u.id from users u where ${contains('u.username', sqlite)}))`,
    );
    params.push(like, like, like);
  }
  if (filter?.states && filter.states.length > 0) {
    const ranks = [...new Set(filter.states.map((s) => ATTENTION_RANK[s]))];
    parts.push(`r.health_rank in (${ranks.map(() => '?').join(',')})`);
    params.push(...ranks);
  }
  const ownerId = filterId(filter?.ownerId, 'ownerId');
  if (ownerId !== null) {
    parts.push('r.owner_id = ?');
    params.push(ownerId);
  }
  const groupId = filterId(filter?.groupId, 'groupId');
  if (groupId !== null) {
    parts.push('r.id in (select g.repository_id from repository_groups g where g.group_id = ?)');
    params.push(groupId);
  }
  const locationId = filterId(filter?.locationId, 'locationId');
  if (locationId !== null) {
    parts.push('r.location_id = ?');
    params.push(locationId);
  }
  return { sql: parts.length ? parts.join(' and ') : '1 = 1', params };
}

export function and(...wheres: Where[]): Where {
  return { sql: wheres.map((w) => `(${w.sql})`).join(' and '), params: wheres.flatMap((w) => w.params) };
}

export function sqlOf<T>(em: Em, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params);
}
