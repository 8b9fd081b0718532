// Stale-check benchmark: npx tsc -b && npx node bench/dist/alerts.js [--count N] [--stale N]
// N repositories on a fresh MariaDB database (inserted with multi-row SQL), `--stale` of them past
// their threshold, one webhook channel (never contacted: the delivery worker does not run here).
// Measures the stale check: ONE statement reads every repository with an alert rule, the rules
// decide in one loop, and only the repositories that fire cost further statements.
// Goal (100,000 repositories): the set-based pass (read + decide) < 2 s.
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import {
  ManualClock,
  migrateUp,
  openOrm,
  type Em,
  LocalEventBus,
  AlertService,
  planScan,
  scanRepositories,
  EventService,
  createTestDatabase,
} from '@borg-hive/server/testing';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '100000' }, stale: { type: 'string', default: '100' } },
});
const count = Number(values.count);
const staleCount = Number(values.stale);
const DAY = 86_400_000;
const now = new Date('2026-07-01T12:00:00Z');
const sqlTime = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

const db = await createTestDatabase('mariadb');
const orm = await openOrm(db.database);
try {
  await migrateUp(orm);
  const conn = orm.em.getConnection();
  await conn.execute(
    `insert into users (id, username, email, password_hash, is_admin, alert_interval_hours, alert_expiration_days, created_at)
     values (1, 'owner', 'owner@example.test', 'x', 0, 12, 5, ?)`,
    [sqlTime(now)],
  );
  await conn.execute(
    `insert into repository_locations (id, name, ssh_host, ssh_port, is_default, created_at) values (1, 'default', 'hive.test', 22, 1, ?)`,
    [sqlTime(now)],
  );
  await conn.execute(
    `insert into notification_channels (id, name, kind, enabled, settings, owner_id, created_at) values (1, 'hook', 'WEBHOOK', 1, ?, 1, ?)`,
    [JSON.stringify({ url: 'http://127.0.0.1:9/hook', method: 'POST' }), sqlTime(now)],
  );
  const insertStarted = performance.now();
  const BATCH = 5000;
  for (let start = 0; start < count; start += BATCH) {
    const rows: string[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i += 1) {
      // every 1000th has no alert rule; `staleCount` spread evenly are 3 days old with a 2-day rule
      const stale = i % Math.floor(count / staleCount) === 0;
      const last = new Date(now.getTime() - (stale ? 3 * DAY : (i % 20) * 3_600_000));
      const rule = i % 1000 === 999 ? 'null' : '2';
      rows.push(
        `('r${i}', 'b${i.toString(36).padStart(7, '0')}', ${2_000_000 + i}, 1000, 1, 1, ${rule}, '${sqlTime(last)}', '${sqlTime(new Date(now.getTime() - 30 * DAY))}', '00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}')`,
      );
    }
    await conn.execute(
      `insert into repositories (name, repo_user, uid, gid, location_id, owner_id, alert_after_days, last_updated_at, created_at, ping_uuid) values ${rows.join(',')}`,
    );
  }
  const insertMs = performance.now() - insertStarted;

  const scanStarted = performance.now();
  const rows = await scanRepositories(orm.em.fork() as Em, now);
  const readMs = performance.now() - scanStarted;
  const plan = planScan(rows, now);
  const passMs = performance.now() - scanStarted;

  const logger = pino({ level: 'warn' });
  const alerts = new AlertService(
    new EventService(new LocalEventBus(), new ManualClock(now)),
    new ManualClock(now),
    logger,
  );
  const firstStarted = performance.now();
  const first = await alerts.check(orm.em.fork() as Em);
  const firstMs = performance.now() - firstStarted;
  const againStarted = performance.now();
  const again = await alerts.check(orm.em.fork() as Em);
  const againMs = performance.now() - againStarted;

  if (first.alerts !== staleCount || again.alerts !== 0 || plan.alerts.length !== staleCount) {
    throw new Error(`unexpected: ${JSON.stringify({ first, again, planned: plan.alerts.length })}`);
  }
  console.log(
    `stale check on MariaDB, ${count} repositories (${rows.length} rows read: stale or needing a flip or recovery), ${staleCount} stale`,
  );
  console.log(`insert:                            ${(insertMs / 1000).toFixed(2)} s`);
  console.log(
    `set-based pass (1 SELECT + rules): ${(passMs / 1000).toFixed(2)} s (read ${(readMs / 1000).toFixed(2)} s; goal < 2 s)`,
  );
  console.log(
    `first check (pass + ${first.alerts} alerts, ${first.flips} flips, ${first.deliveries} outbox rows): ${(firstMs / 1000).toFixed(2)} s`,
  );
  console.log(`next check (nothing due):          ${(againMs / 1000).toFixed(2)} s`);
} finally {
  await orm.close(true);
  await db.drop();
}
