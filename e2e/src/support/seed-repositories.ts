import { randomUUID } from 'node:crypto';
import type { Em } from '../../../server/dist/db/orm.js';
import type { TestHive } from '../../../server/dist/test-support/hive.js';

const HOUR_MS = 3600_000;

/** SQL datetime text both dialects accept. */
function sqlTime(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Health of the n-th seeded repository, spread over every state the overview sorts by:
 * failed, stale, in progress, never backed up and ok, with usage and last backups that vary.
 */
function seededRow(
  n: number,
  id: number,
  name: string,
  ownerId: string,
  locationId: string,
  now: number,
): unknown[] {
  const failed = n % 11 === 0;
  const stale = !failed && n % 5 === 0;
  const open = !failed && !stale && n % 7 === 0;
  const never = !failed && !stale && !open && n % 3 === 0;
  const backup = never ? null : new Date(now - (stale ? 10 * 24 : (n % 47) + 1) * HOUR_MS);
  return [
    id,
    name,
    `s${String(id).padStart(7, '0')}`,
    10_000 + id,
    1000,
    locationId,
    'BORG',
    stale ? 3 : never ? null : 7,
    ownerId,
    open ? 1 : 0,
    randomUUID(),
    n % 13 === 0 ? null : ((n * 7919) % 1000) * 1_000_000,
    sqlTime(new Date(now - 20 * 24 * HOUR_MS)),
    backup && sqlTime(backup),
    failed ? sqlTime(new Date(now - HOUR_MS)) : null,
  ];
}

/**
 * Inserts `count` repositories owned by the admin straight into the hive's database (the API would take
 * minutes for tens of thousands), named `${prefix}${n}` zero-padded, then stores their health the way the
 * hive does after any write. Returns the names in insertion order.
 */
export async function seedRepositories(hive: TestHive, count: number, prefix = 'repo-'): Promise<string[]> {
  const em = hive.services.orm.em.fork() as Em;
  const conn = em.getConnection();
  const [admin] = await conn.execute<{ id: number }[]>(`select id from users where username = 'admin'`);
  const [location] = await conn.execute<{ id: number }[]>(
    `select id from repository_locations order by id limit 1`,
  );
  const [last] = await conn.execute<{ id: number | null }[]>(`select max(id) as id from repositories`);
  const first = Number(last?.id ?? 0) + 1;
  const now = Date.now();
  const names = Array.from({ length: count }, (_, n) => `${prefix}${String(n).padStart(6, '0')}`);
  const rows = names.map((name, n) =>
    seededRow(n, first + n, name, String(admin!.id), String(location!.id), now),
  );
  const columns = [
    'id',
    'name',
    'repo_user',
    'uid',
    'gid',
    'location_id',
    'mode',
    'alert_after_days',
    'owner_id',
    'is_open',
    'ping_uuid',
    'usage_bytes',
    'created_at',
    'last_updated_at',
    'last_ping_failure_at',
  ];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const values = chunk.map(() => `(${columns.map(() => '?').join(',')})`).join(',');
    await conn.execute(
      `insert into repositories (${columns.join(',')}) values ${values}`,
      chunk.flat(),
      'run',
    );
  }
  // One transaction: the health of each row is written apart, and SQLite would sync after every one.
  const ids = rows.map((_, n) => first + n);
  await em.transactional((tx) => hive.services.health.update(tx, ids));
  return names;
}
