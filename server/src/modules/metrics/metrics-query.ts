import type { Em } from '../../db/orm.js';
import { toDate } from '../../db/sql-values.js';

/** One repository as the metrics see it: the stored columns, never recomputed per scrape. */
export interface RepositoryMetricRow {
  id: number;
  name: string;
  repoUser: string;
  owner: string;
  /** epoch milliseconds; null when unknown */
  lastBackupAt: number | null;
  usageBytes: number | null;
  quotaBytes: number | null;
  isOpen: boolean;
  healthRank: number;
  lastPingSuccessAt: number | null;
  lastPingFailureAt: number | null;
  /** archives in the repository where the hive knows them (borg 2, from its archive objects); else null */
  archiveCount: number | null;
  /** epoch milliseconds: when the hive's last backup run with a result (SUCCEEDED or FAILED) ended; null: none */
  lastRunAt: number | null;
  /** whether that run succeeded; null when the hive never ran a backup of the repository */
  lastRunSucceeded: boolean | null;
}

/** Outbox rows per channel and state (a handful of rows however many deliveries there are). */
export interface DeliveryMetricRow {
  channel: string;
  kind: string;
  state: string;
  retrying: boolean;
  count: number;
}

const ms = (value: unknown): number | null => toDate(value)?.getTime() ?? null;
const num = (value: unknown): number | null => (value == null ? null : Number(value));

/**
 * One column of the repository's last backup run with a result (the hive's pull runs; cancelled and
 * interrupted runs are no result, as for the health): a correlated subquery that walks the
 * (repository_id, created_at) index backwards from the newest run, so a full read costs an index seek per
 * repository, not a scan of the run history.
 */
const lastRun = (column: string) => `(select b.${column} from backup_runs b
        where b.repository_id = r.id and b.kind = 'BACKUP' and b.state in ('SUCCEEDED', 'FAILED')
        order by b.created_at desc, b.id desc limit 1)`;
const COLUMNS = `r.id, r.name, r.repo_user, u.username, r.last_backup_at, r.usage_bytes, r.quota_bytes,
            r.is_open, r.health_rank, r.last_ping_success_at, r.last_ping_failure_at, r.archive_count,
            ${lastRun('finished_at')} as last_run_at, ${lastRun('state')} as last_run_state
       from repositories r join users u on u.id = r.owner_id`;
const CHUNK = 500;

/**
 * Every repository (`ids` absent) in one set-based query over the columns HealthStore keeps
 * (health_rank, last_backup_at): a full read costs one table scan, never a query or a health
 * computation per repository. With `ids`: those repositories only (by primary key, 500 a statement);
 * an id without a row was deleted.
 */
export async function readRepositoryRows(em: Em, ids?: readonly number[]): Promise<RepositoryMetricRow[]> {
  const conn = em.getConnection();
  const read = (where: string, params: number[]) =>
    conn.execute<Record<string, unknown>[]>(`select ${COLUMNS}${where}`, params, 'all');
  let rows: Record<string, unknown>[];
  if (ids === undefined) rows = await read('', []);
  else {
    rows = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      rows.push(...(await read(` where r.id in (${chunk.map(() => '?').join(',')})`, chunk)));
    }
  }
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    repoUser: String(r.repo_user),
    owner: String(r.username),
    lastBackupAt: ms(r.last_backup_at),
    usageBytes: num(r.usage_bytes),
    quotaBytes: num(r.quota_bytes),
    isOpen: r.is_open === true || Number(r.is_open) === 1,
    healthRank: Number(r.health_rank),
    lastPingSuccessAt: ms(r.last_ping_success_at),
    lastPingFailureAt: ms(r.last_ping_failure_at),
    archiveCount: num(r.archive_count),
    lastRunAt: ms(r.last_run_at),
    lastRunSucceeded: r.last_run_state == null ? null : r.last_run_state === 'SUCCEEDED',
  }));
}

/** Backup runs (#11's pull jobs and maintenance) per kind and state: one grouped read over an index. */
export interface RunMetricRow {
  kind: string;
  state: string;
  count: number;
}

export async function readRunRows(em: Em): Promise<RunMetricRow[]> {
  const rows = await em
    .getConnection()
    .execute<Record<string, unknown>[]>(
      'select kind, state, count(*) as n from backup_runs group by kind, state',
      [],
      'all',
    );
  return rows.map((r) => ({ kind: String(r.kind), state: String(r.state), count: Number(r.n) }));
}

/** The delivery outbox (test messages left out) grouped by channel, state and whether a pending row already failed once. */
export async function readDeliveryRows(em: Em): Promise<DeliveryMetricRow[]> {
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(
    `select c.name, c.kind, d.state, case when d.attempts > 0 then 1 else 0 end as retrying, count(*) as n
       from notification_deliveries d join notification_channels c on c.id = d.channel_id
      where d.event_id is not null
      group by c.id, c.name, c.kind, d.state, case when d.attempts > 0 then 1 else 0 end`,
    [],
    'all',
  );
  return rows.map((r) => ({
    channel: String(r.name),
    kind: String(r.kind),
    state: String(r.state),
    retrying: Number(r.retrying) === 1,
    count: Number(r.n),
  }));
}
