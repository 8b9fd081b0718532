import { seedRepositories, type Em, type SeedRepository, type TestHive } from '@borg-hive/server/testing';

const HOUR_MS = 3600_000;

/**
 * The n-th repository of a spread over every state the overview sorts by (failed, stale, in progress,
 * never backed up, ok), with usage and last backups that vary.
 */
function spreadRow(
  n: number,
  name: string,
  ownerId: number,
  locationId: number,
  now: number,
): SeedRepository {
  const failed = n % 11 === 0;
  const stale = !failed && n % 5 === 0;
  const open = !failed && !stale && n % 7 === 0;
  const never = !failed && !stale && !open && n % 3 === 0;
  return {
    name,
    ownerId,
    locationId,
    alertAfterDays: stale ? 3 : never ? null : 7,
    isOpen: open,
    usageBytes: n % 13 === 0 ? null : ((n * 7919) % 1000) * 1_000_000,
    lastUpdatedAt: never ? null : new Date(now - (stale ? 10 * 24 : (n % 47) + 1) * HOUR_MS),
    lastPingFailureAt: failed ? new Date(now - HOUR_MS) : null,
    createdAt: new Date(now - 20 * 24 * HOUR_MS),
  };
}

/**
 * Writes `count` repositories owned by the admin straight into the hive's database (the API would take
 * minutes for tens of thousands), named `${prefix}` + n zero-padded, their health stored as the hive
 * stores it. Returns the names in insertion order.
 */
export async function seedSpread(hive: TestHive, count: number, prefix = 'repo-'): Promise<string[]> {
  const em = hive.services.orm.em.fork() as Em;
  const conn = em.getConnection();
  const [admin] = await conn.execute<{ id: number }[]>(`select id from users where username = 'admin'`);
  const [location] = await conn.execute<{ id: number }[]>(
    `select id from repository_locations order by id limit 1`,
  );
  const now = Date.now();
  const names = Array.from({ length: count }, (_, n) => `${prefix}${String(n).padStart(6, '0')}`);
  await seedRepositories(
    em,
    names.map((name, n) => spreadRow(n, name, Number(admin!.id), Number(location!.id), now)),
    new Date(now),
  );
  // seedRepositories numbers uids from 4,000,000, outside the hive's range (1111..99999): createRepository
  // would then find no free uid. Moved into the range, the API can still create repositories after a seed.
  await conn.execute('update repositories set uid = 10000 + id where uid >= 4000000', [], 'run');
  return names;
}
