import type { Em } from '../../db/orm.js';
import { toDate } from '../../db/sql-values.js';
import type { AuthInfo } from '../auth/index.js';
import { RepositoryLocation } from '../location/index.js';
import { Group, User } from '../user/index.js';
import type { BorgVersion } from './borg-version.js';
import type { RepositoryMode } from './repository-mode.js';
import type { RepositoryShareView } from './repository-share.view.js';
import type { ShareRole } from './share-role.js';
import type { RepositoryView } from './repository.view.js';
import type { SshKeyView } from '../ssh-key/index.js';
import { healthColumnsOf } from './health-store.js';

type Row = Record<string, unknown>;

const KEY_COLUMNS =
  'k.id, k.name, k.type, k.key_data, k.bits, k.fingerprint, k.comment, k.owner_id, k.last_used_at, k.created_at';

const ALL = '1 = 1';

/** The owner/group visibility rule (see canAccess) as SQL over `repositories r`. */
export function visibility(auth: AuthInfo): { sql: string; params: number[] } {
  if (auth.isAdmin) return { sql: ALL, params: [] };
  if (auth.groupIds.length === 0) return { sql: 'r.owner_id = ?', params: [auth.userId] };
  const marks = auth.groupIds.map(() => '?').join(',');
  return {
    sql: `(r.owner_id = ? or r.id in (select repository_id from repository_groups where group_id in (${marks})))`,
    params: [auth.userId, ...auth.groupIds],
  };
}

const num = (v: unknown): number => Number(v);
const str = (v: unknown): string => String(v);
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

function keyOf(r: Row): SshKeyView {
  return {
    id: num(r.id),
    name: String(r.name),
    type: String(r.type),
    keyData: String(r.key_data),
    bits: num(r.bits),
    fingerprint: String(r.fingerprint),
    comment: r.comment == null ? null : str(r.comment),
    ownerId: num(r.owner_id),
    lastUsedAt: toDate(r.last_used_at),
    createdAt: toDate(r.created_at) ?? new Date(0),
  };
}

function byId<T extends { id: number }>(items: T[]): (id: unknown) => T {
  const map = new Map(items.map((i) => [i.id, i]));
  return (id) => {
    const item = map.get(num(id));
    if (!item) throw new Error(`row ${String(id)} vanished while listing repositories`);
    return item;
  };
}

function push<T>(map: Map<number, T[]>, id: number, item: T): void {
  const list = map.get(id);
  if (list) list.push(item);
  else map.set(id, [item]);
}

/** The key pivot tables in role order (their index is the key_role column of the union). */
const KEY_PIVOTS = [
  'repository_ssh_keys',
  'repository_append_only_keys',
  'repository_read_only_keys',
  'repository_write_only_keys',
] as const;
type KeyLists = Map<number, SshKeyView[]>;

/**
 * The repositories the caller may see, read with a fixed number of statements into plain objects: the
 * list is read-only, so the many rows and keys skip the ORM's hydration and identity map.
 */
export async function listRepositories(em: Em, auth: AuthInfo): Promise<RepositoryView[]> {
  return readViews(em, visibility(auth));
}

/** These repositories (those that still exist) as plain views, whoever may see them: live updates. */
export async function repositoryViews(em: Em, ids: readonly number[]): Promise<RepositoryView[]> {
  const views: RepositoryView[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    views.push(
      ...(await readViews(em, { sql: `r.id in (${chunk.map(() => '?').join(',')})`, params: chunk })),
    );
  }
  return views;
}

async function readViews(em: Em, where: { sql: string; params: number[] }): Promise<RepositoryView[]> {
  const within =
    where.sql === ALL ? '' : `where p.repository_id in (select r.id from repositories r where ${where.sql})`;
  const repos = em
    .getConnection()
    .execute<Row[]>(`select r.* from repositories r where ${where.sql} order by r.name, r.id`, where.params);
  return viewsOf(em, repos, { sql: within, params: within === '' ? [] : where.params });
}

/** Plain views of these `repositories` rows (`select r.*`, in their order): a page of repositoryPage. */
export async function viewsOfRows(em: Em, rows: Row[]): Promise<RepositoryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => num(r.id));
  return viewsOf(em, Promise.resolve(rows), {
    sql: `where p.repository_id in (${ids.map(() => '?').join(',')})`,
    params: ids,
  });
}

/**
 * The views of `rows`: their keys, shares, location, owner and groups in a fixed number of statements.
 * `within` (`where p.repository_id ...`) limits the pivot rows read; empty, every pivot row is read (the
 * admin's whole list).
 */
async function viewsOf(
  em: Em,
  rows: Promise<Row[]>,
  within: { sql: string; params: number[] },
): Promise<RepositoryView[]> {
  const conn = em.getConnection();
  const [repos, keyRows, groupRows] = await Promise.all([
    rows,
    conn.execute<Row[]>(
      KEY_PIVOTS.map(
        (pivot, role) =>
          `select ${role} as key_role, p.repository_id, ${KEY_COLUMNS} from ${pivot} p
             join ssh_keys k on k.id = p.ssh_key_id and k.internal = 0 ${within.sql}`,
      ).join(' union all '),
      KEY_PIVOTS.flatMap(() => within.params),
    ),
    conn.execute<Row[]>(
      `select p.repository_id, p.group_id, p.role from repository_groups p ${within.sql}`,
      within.params,
    ),
  ]);
  const ids = (rows: Row[], column: string) => [...new Set(rows.map((r) => num(r[column])))];
  const groupIds = ids(groupRows, 'group_id');
  const [locations, owners, groups] = await Promise.all([
    repos.length ? em.find(RepositoryLocation, { id: { $in: ids(repos, 'location_id') } }) : [],
    repos.length ? em.find(User, { id: { $in: ids(repos, 'owner_id') } }) : [],
    groupIds.length ? em.find(Group, { id: { $in: groupIds } }) : [],
  ]);
  const keys = new Map<number, SshKeyView>();
  // one map per KEY_PIVOTS entry: full, append-only, read-only, write-only
  const byRole = KEY_PIVOTS.map(() => new Map<number, SshKeyView[]>());
  for (const r of keyRows) {
    const id = num(r.id);
    let key = keys.get(id);
    if (!key) keys.set(id, (key = keyOf(r)));
    const lists = byRole[num(r.key_role)];
    if (lists) push(lists, num(r.repository_id), key);
  }
  // sorting a few keys per repository here is cheaper than ORDER BY over every key row in SQL
  for (const lists of byRole) for (const list of lists.values()) list.sort((a, b) => a.id - b.id);
  const [full, appendOnly, readOnly, writeOnly] = byRole as [KeyLists, KeyLists, KeyLists, KeyLists];
  const groupById = byId(groups);
  const repoGroups = new Map<number, Group[]>();
  const repoShares = new Map<number, RepositoryShareView[]>();
  for (const r of groupRows) {
    const group = groupById(r.group_id);
    push(repoGroups, num(r.repository_id), group);
    push(repoShares, num(r.repository_id), { group, role: r.role as ShareRole });
  }
  const locationById = byId(locations);
  const ownerById = byId(owners);
  return repos.map((r): RepositoryView => {
    const id = num(r.id);
    return {
      ...healthColumnsOf(r),
      id,
      name: String(r.name),
      repoUser: String(r.repo_user),
      uid: num(r.uid),
      gid: num(r.gid),
      mode: r.mode as RepositoryMode,
      borgVersion: r.borg_version as BorgVersion,
      quotaBytes: numOrNull(r.quota_bytes),
      usageBytes: numOrNull(r.usage_bytes),
      archiveCount: numOrNull(r.archive_count),
      lastAlertAt: toDate(r.last_alert_at),
      pingUuid: String(r.ping_uuid),
      lastBackupAt: toDate(r.last_backup_at),
      healthRank: num(r.health_rank),
      location: locationById(r.location_id),
      owner: ownerById(r.owner_id),
      groups: repoGroups.get(id) ?? [],
      shares: repoShares.get(id) ?? [],
      sshKeys: full.get(id) ?? [],
      appendOnlySshKeys: appendOnly.get(id) ?? [],
      readOnlySshKeys: readOnly.get(id) ?? [],
      writeOnlySshKeys: writeOnly.get(id) ?? [],
    };
  });
}
