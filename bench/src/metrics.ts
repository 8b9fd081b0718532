/**
 * bench/metrics (#16): GET /metrics over N repositories (the api bench's seed: 100 owners, a mix of
 * health states; two repositories in three with three runs of the hive), asked as Prometheus asks (gzip), timed to the last byte: median and p99 of a scrape
 * after a write to a repository announced as the hive's writers announce it (repositoryChanged: that
 * row is read again and its block of the series written again), of one after the cache expired with
 * nothing changed, of one the 5 s cache answers, and of the first scrape (every row read and written);
 * the answer's size; the hive's memory before and after; the load average. No timed assertion: this
 * machine is shared and noisy.
 * Usage: npx node --expose-gc bench/dist/metrics.js [sqlite|mariadb] [repositories=100000] [runs=20]
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ManualClock, startTestHive } from '@borg-hive/server/testing';
import { seed } from './api-seed.js';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
const total = Number(process.argv[3] ?? 100_000);
const runs = Number(process.argv[4] ?? 20);

function stats(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { median: Number(at(0.5).toFixed(1)), p99: Number(at(0.99).toFixed(1)) };
}

const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));
const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed) };
};

/**
 * The hive's own backup runs (pull mode) for the last-run series: two of every three repositories have
 * a history of three runs (an older failed backup, a compact, then a backup that mostly succeeded).
 */
async function seedRuns(count: number): Promise<void> {
  const em = hive.services.orm.em.fork();
  const at = (d: Date) => em.getPlatform().processDateProperty(d) as unknown;
  const now = Date.now();
  const rows: unknown[][] = [];
  for (let r = 0; r < count; r++) {
    if (r % 3 === 0) continue;
    const runs: [string, string, number][] = [
      ['BACKUP', 'FAILED', 48],
      ['COMPACT', 'SUCCEEDED', 30],
      ['BACKUP', r % 10 === 0 ? 'FAILED' : 'SUCCEEDED', 24],
    ];
    for (const [kind, state, hoursAgo] of runs) {
      const when = new Date(now - hoursAgo * 3_600_000);
      rows.push([kind, state, r + 1, at(when), at(when), '', 0, at(when)]);
    }
  }
  const cols = [
    'kind',
    'state',
    'repository_id',
    'started_at',
    'finished_at',
    'log',
    'cancel_requested',
    'created_at',
  ];
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await em
      .getConnection()
      .execute(
        `insert into backup_runs (${cols.join(',')}) values ${chunk.map(() => `(${cols.map(() => '?').join(',')})`).join(',')}`,
        chunk.flat(),
        'run',
      );
  }
}

// the clock moves only when the bench says: a scrape is built afresh exactly when the cache expired
const clock = new ManualClock(new Date());
const hive = await startTestHive({
  dialect,
  env: { BORGHIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: '600000' },
  overrides: { clock, jobs: false },
});
try {
  const t0 = performance.now();
  await seed(hive, total);
  await seedRuns(total);
  console.log(
    `${dialect}: seeded ${total} repositories in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const created = await hive.gql<{ createApiToken: { token: string } }>(
    hive.adminToken,
    'mutation{createApiToken(name:"bench",scope:METRICS){token}}',
  );
  const token = created.data!.createApiToken.token;
  // as Prometheus asks (gzip), timed to the last byte; unpacking and parsing are Prometheus' own cost
  const scrape = () =>
    new Promise<{ ms: number; bytes: number }>((resolve, reject) => {
      const s = performance.now();
      const req = request(`${hive.url}/metrics`, {
        headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' },
      });
      req.on('response', (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve({ ms: performance.now() - s, bytes })
            : reject(new Error(`scrape answered ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end();
    });
  const em = hive.services.orm.em.fork();
  // one write to a repository (as a backup's usage update would), announced after it as every writer
  // of the hive does (RepositoryService, EventService, the health job): the metrics read that row again
  const change = async (i: number) => {
    const id = 1 + (i % 1000) * 97;
    await em.getConnection().execute('update repositories set usage_bytes = ? where id = ?', [i, id], 'run');
    const [row] = await em
      .getConnection()
      .execute<{ owner_id: number }[]>('select owner_id from repositories where id = ?', [id]);
    await hive.services.bus.publish('repositoryChanged', {
      repositoryId: id,
      ownerId: Number(row!.owner_id),
      groupIds: [],
    });
  };
  const first = await scrape();
  console.log(`first scrape (every row read and written): ${first.ms.toFixed(0)} ms`);
  const before = memory();
  const changed: number[] = [];
  const unchanged: number[] = [];
  const cached: number[] = [];
  let size = { bytes: 0 };
  let peakRss = 0;
  for (let i = 0; i < runs + 2; i++) {
    await change(i);
    clock.advance(10_000);
    const r = await scrape();
    if (i >= 2) changed.push(r.ms);
    size = r;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    cached.push((await scrape()).ms);
    clock.advance(10_000);
    unchanged.push((await scrape()).ms);
  }
  const afterScrapes = memory();
  // what the two statements touching backup_runs cost on their own (each scrape reads the run counts)
  const timeSql = async (sql: string) => {
    const s = performance.now();
    await em.getConnection().execute(sql, [], 'all');
    return Number((performance.now() - s).toFixed(1));
  };
  const sqlMs = {
    runCountsPerScrape: await timeSql(
      'select kind, state, count(*) as n from backup_runs group by kind, state',
    ),
    lastRunOfEveryRepository:
      await timeSql(`select r.id, (select b.state from backup_runs b where b.repository_id = r.id
      and b.kind = 'BACKUP' and b.state in ('SUCCEEDED', 'FAILED') order by b.created_at desc, b.id desc limit 1) as s
      from repositories r`),
  };
  // the same, inside the hive: the query and the text, without HTTP
  const render: number[] = [];
  let text = { mb: 0, lines: 0 };
  for (let i = 0; i < Math.min(runs, 10); i++) {
    await change(1000 + i);
    clock.advance(10_000);
    const s = performance.now();
    const answer = await hive.metrics.render();
    await answer.gzip();
    render.push(performance.now() - s);
    const all = Buffer.concat(await answer.text());
    text = { mb: mb(all.length), lines: all.toString('latin1').split('\n').length };
  }
  console.log(
    JSON.stringify(
      {
        dialect,
        repositories: total,
        runs,
        firstScrapeMs: Number(first.ms.toFixed(1)),
        scrapeAfterAChangeMs: stats(changed),
        scrapeNothingChangedMs: stats(unchanged),
        cachedScrapeMs: stats(cached),
        renderInsideHiveMs: stats(render),
        sqlMs,
        answer: { gzipMb: mb(size.bytes), textMb: text.mb, lines: text.lines },
        loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
        memory: {
          beforeScrapes: before,
          afterScrapes,
          addedRssMb: Number((afterScrapes.rssMb - before.rssMb).toFixed(1)),
          addedHeapMb: Number((afterScrapes.heapMb - before.heapMb).toFixed(1)),
          peakRssDuringScrapesMb: mb(peakRss),
        },
      },
      null,
      2,
    ),
  );
} finally {
  await hive.dispose();
}
