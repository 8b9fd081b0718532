import { toDate } from '../../db/sql-values.js';
import type { Em } from '../../db/orm.js';
import { decideAlert, decideRecovery, isStale, lastBackupAt } from '../repository/index.js';

/** What the stale check needs of one repository and its owner: one row of one statement. */
export interface ScanRow {
  id: number;
  alertAfterDays: number | null;
  createdAt: Date;
  lastUpdatedAt: Date | null;
  lastPingSuccessAt: Date | null;
  lastAlertAt: Date | null;
  lastRecoveredAt: Date | null;
  staleObserved: boolean;
  alertIntervalHours: number;
  alertExpirationDays: number;
}

export interface ScanPlan {
  /** Rows whose staleness differs from what the last check saw (by the clock alone, or a backup). */
  flips: { id: number; stale: boolean }[];
  alerts: { row: ScanRow; lastBackup: Date | null }[];
  recoveries: { row: ScanRow; lastBackup: Date }[];
  /** Rows whose owner preferences are out of range: skipped and reported. */
  invalid: { id: number; problem: string }[];
  scanned: number;
}

const DAY_MS = 86_400_000;

const SELECT = `select r.id, r.alert_after_days, r.created_at, r.last_updated_at, r.last_ping_success_at,
    r.last_alert_at, r.last_recovered_at, r.stale_observed, u.alert_interval_hours, u.alert_expiration_days
  from repositories r join users u on u.id = r.owner_id`;

// Stale for a threshold of d days: the last backup (or, with none, the creation) is at or before now - d.
const STALE_FOR = `(r.alert_after_days = ?
  and (r.last_updated_at is null or r.last_updated_at <= ?)
  and (r.last_ping_success_at is null or r.last_ping_success_at <= ?)
  and (r.last_updated_at is not null or r.last_ping_success_at is not null or r.created_at <= ?))`;

/**
 * Reads every repository that may need an alert, a recovery or a staleness flip: one statement over
 * the whole table (plus one for the distinct thresholds), so the database filters and only the rows
 * that can matter travel: stale ones, ones the last check saw stale, and alerts not yet answered.
 * The staleness test is written per threshold with the cut-off as a parameter, so the SQL needs no
 * dialect's date arithmetic; `planScan` then applies the exact rules to what comes back.
 */
export async function scanRepositories(em: Em, now: Date, onlyId?: number): Promise<ScanRow[]> {
  const conn = em.getConnection();
  const tx: unknown = em.getTransactionContext(); // MikroORM types the driver transaction as any
  const asParam = (d: Date) => em.getPlatform().processDateProperty(d) as unknown;
  const only = onlyId === undefined ? '' : ' and id = ?';
  const thresholds = await conn.execute<{ d: number }[]>(
    `select distinct alert_after_days as d from repositories where alert_after_days is not null${only}`,
    onlyId === undefined ? [] : [onlyId],
    'all',
    tx,
  );
  const stale: string[] = [];
  const params: unknown[] = [];
  for (const { d } of thresholds) {
    const cutoff = asParam(new Date(now.getTime() - Number(d) * DAY_MS));
    stale.push(STALE_FOR);
    params.push(Number(d), cutoff, cutoff, cutoff);
  }
  const where = [
    ...stale,
    'r.stale_observed = 1',
    '(r.last_alert_at is not null and (r.last_recovered_at is null or r.last_recovered_at < r.last_alert_at))',
  ];
  const sql = `${SELECT} where (${where.join(' or ')})${onlyId === undefined ? '' : ' and r.id = ?'}`;
  if (onlyId !== undefined) params.push(onlyId);
  const raw = await conn.execute<Record<string, unknown>[]>(sql, params, 'all', tx);
  return raw.map((r) => ({
    id: Number(r.id),
    alertAfterDays: r.alert_after_days == null ? null : Number(r.alert_after_days),
    createdAt: toDate(r.created_at) ?? new Date(0),
    lastUpdatedAt: toDate(r.last_updated_at),
    lastPingSuccessAt: toDate(r.last_ping_success_at),
    lastAlertAt: toDate(r.last_alert_at),
    lastRecoveredAt: toDate(r.last_recovered_at),
    staleObserved: r.stale_observed === true || Number(r.stale_observed) === 1,
    alertIntervalHours: Number(r.alert_interval_hours),
    alertExpirationDays: Number(r.alert_expiration_days),
  }));
}

/** Applies the alert-schedule rules to every scanned row: pure, so the whole pass is one loop. */
export function planScan(rows: ScanRow[], now: Date): ScanPlan {
  const plan: ScanPlan = { flips: [], alerts: [], recoveries: [], invalid: [], scanned: rows.length };
  for (const row of rows) {
    const lastBackup = lastBackupAt(row);
    const stale = isStale({ now, lastBackup, createdAt: row.createdAt, alertAfterDays: row.alertAfterDays });
    if (stale !== row.staleObserved) plan.flips.push({ id: row.id, stale });
    if (
      lastBackup !== null &&
      decideRecovery({ lastBackup, lastAlertAt: row.lastAlertAt, recoveredSentAt: row.lastRecoveredAt })
    ) {
      plan.recoveries.push({ row, lastBackup });
    }
    if (!stale) continue;
    try {
      const decision = decideAlert({
        now,
        lastBackup,
        createdAt: row.createdAt,
        alertAfterDays: row.alertAfterDays,
        alertIntervalHours: row.alertIntervalHours,
        alertExpirationDays: row.alertExpirationDays,
        lastAlertAt: row.lastAlertAt,
      });
      if (decision.kind === 'ALERT') plan.alerts.push({ row, lastBackup });
    } catch (err) {
      plan.invalid.push({ id: row.id, problem: (err as Error).message });
    }
  }
  return plan;
}
