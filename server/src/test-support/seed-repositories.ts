import { randomUUID } from 'node:crypto';
import type { Em } from '../db/orm.js';
import {
  BorgVersion,
  DEFAULT_HEALTH_POLICY,
  type HealthFacts,
  RepositoryMode,
  storedHealthOf,
} from '../modules/repository/index.js';

/** A repository row written straight into the database (tests and benches; no account, no directory). */
export interface SeedRepository {
  /** default: the database's next id */
  id?: number;
  name: string;
  ownerId: number;
  locationId: number;
  alertAfterDays?: number | null;
  isOpen?: boolean;
  usageBytes?: number | null;
  lastUpdatedAt?: Date | null;
  lastPingSuccessAt?: Date | null;
  lastPingFailureAt?: Date | null;
  createdAt?: Date;
}

const COLUMNS = [
  'id',
  'name',
  'repo_user',
  'uid',
  'gid',
  'location_id',
  'mode',
  'owner_id',
  'alert_after_days',
  'is_open',
  'usage_bytes',
  'last_updated_at',
  'last_ping_success_at',
  'last_ping_failure_at',
  'stale_observed',
  'ping_uuid',
  'created_at',
  'last_backup_at',
  'health_rank',
  'health_until',
  'usage_order',
];

let serial = 0;

/**
 * Inserts the rows in multi-row statements, their stored health columns computed by the same function
 * HealthStore uses (storedHealthOf at `now`), so pages, filters and counts see them as written by the
 * hive. Repo users and uids are unique per process (`s` + base-36 serial, 4,000,000 + serial).
 */
export async function seedRepositories(em: Em, rows: SeedRepository[], now = new Date()): Promise<void> {
  const conn = em.getConnection();
  const date = (d: Date | null | undefined) =>
    d == null ? null : (em.getPlatform().processDateProperty(d) as unknown);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const params: unknown[] = [];
    for (const row of chunk) {
      const n = ++serial + process.pid * 1000;
      const createdAt = row.createdAt ?? now;
      const facts: HealthFacts = {
        alertAfterDays: row.alertAfterDays ?? null,
        createdAt,
        isOpen: row.isOpen ?? false,
        lastAccessAt: null,
        lastUpdatedAt: row.lastUpdatedAt ?? null,
        lastPingSuccessAt: row.lastPingSuccessAt ?? null,
        lastPingFailureAt: row.lastPingFailureAt ?? null,
        lastPingFailureStatus: null,
        lastPingStartAt: null,
        mode: RepositoryMode.BORG,
        borgVersion: BorgVersion.BORG1,
        quotaBytes: null,
        usageBytes: row.usageBytes ?? null,
        location: { name: '', agentSeenAt: null },
      };
      const stored = storedHealthOf(facts, row.usageBytes ?? null, now, DEFAULT_HEALTH_POLICY);
      params.push(
        row.id ?? null,
        row.name,
        `s${(n % 36 ** 7).toString(36).padStart(7, '0')}`,
        4_000_000 + (n % 100_000_000),
        4_000_000,
        row.locationId,
        'BORG',
        row.ownerId,
        facts.alertAfterDays,
        facts.isOpen,
        row.usageBytes ?? null,
        date(facts.lastUpdatedAt),
        date(facts.lastPingSuccessAt),
        date(facts.lastPingFailureAt),
        false,
        randomUUID(),
        date(createdAt),
        date(stored.backup),
        stored.rank,
        date(stored.until),
        stored.usage,
      );
    }
    const marks = `(${COLUMNS.map(() => '?').join(',')})`;
    await conn.execute(
      `insert into repositories (${COLUMNS.join(',')}) values ${chunk.map(() => marks).join(',')}`,
      params,
      'run',
    );
  }
}
