import { hashPassword, seedRepositories, type TestHive } from '@borg-hive/server/testing';

export const USERS = 100;
const DAY = 86_400_000;

/**
 * `total` repositories (3 keys each, 2 events, 100 owners) written straight into the database, their
 * health columns as the hive stores them: a mix of OK, stale, failed, open and never backed up.
 */
export async function seed(hive: TestHive, total: number): Promise<void> {
  const em = hive.services.orm.em.fork();
  const conn = em.getConnection();
  const at = (d: Date) => em.getPlatform().processDateProperty(d) as unknown;
  const now = new Date();
  const hash = await hashPassword('bench-password');
  const batch = async (table: string, cols: string[], rows: unknown[][]) => {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const sql = `insert into ${table} (${cols.join(',')}) values ${chunk.map(() => `(${cols.map(() => '?').join(',')})`).join(',')}`;
      await conn.execute(sql, chunk.flat(), 'run');
    }
  };
  await batch(
    'users',
    [
      'id',
      'username',
      'email',
      'password_hash',
      'is_admin',
      'alert_interval_hours',
      'alert_expiration_days',
      'created_at',
    ],
    Array.from({ length: USERS }, (_, u) => [
      1000 + u,
      `user${u}`,
      `user${u}@bench`,
      hash,
      0,
      12,
      5,
      at(now),
    ]),
  );
  await batch(
    'ssh_keys',
    ['id', 'name', 'type', 'key_data', 'bits', 'fingerprint', 'comment', 'owner_id', 'created_at'],
    Array.from({ length: total * 3 }, (_, k) => [
      k + 1,
      `key${k}`,
      'ssh-ed25519',
      `AAAAC3NzaC1lZDI1NTE5AAAAI${String(k).padStart(43, 'A')}`,
      256,
      `SHA256:${String(k).padStart(43, 'B')}`,
      null,
      1000 + (Math.floor(k / 3) % USERS),
      at(now),
    ]),
  );
  const created = new Date(now.getTime() - 30 * DAY);
  await seedRepositories(
    em,
    Array.from({ length: total }, (_, r) => ({
      id: r + 1,
      name: `repo${r}`,
      ownerId: 1000 + (r % USERS),
      locationId: 1,
      alertAfterDays: r % 2 ? 3 : null,
      isOpen: r % 97 === 0,
      usageBytes: r % 11 === 0 ? null : r * 1000,
      lastUpdatedAt: r % 13 === 0 ? null : new Date(now.getTime() - (r % 7) * DAY),
      lastPingFailureAt: r % 89 === 0 ? now : null,
      createdAt: created,
    })),
    now,
  );
  await batch(
    'repository_ssh_keys',
    ['repository_id', 'ssh_key_id'],
    Array.from({ length: total * 2 }, (_, i) => [Math.floor(i / 2) + 1, Math.floor(i / 2) * 3 + (i % 2) + 1]),
  );
  await batch(
    'repository_append_only_keys',
    ['repository_id', 'ssh_key_id'],
    Array.from({ length: total }, (_, r) => [r + 1, r * 3 + 3]),
  );
  await batch(
    'repository_events',
    ['repository_id', 'type', 'message', 'created_at'],
    Array.from({ length: total * 2 }, (_, i) => [
      Math.floor(i / 2) + 1,
      i % 2 ? 'CLOSED' : 'OPENED',
      'bench',
      at(now),
    ]),
  );
}
