/**
 * bench/metrics (#16): GET /metrics over N repositories (the api bench's seed: 100 owners, a mix of
 * health states): the median and p99 of a scrape built afresh (the cache of a few seconds expired) and
 * of one the cache answers, the answer's size, and the hive's memory before and after the scrapes. No
 * timed assertion: this machine is shared and noisy.
 * Usage: npx node --expose-gc bench/dist/metrics.js [sqlite|mariadb] [repositories=100000] [runs=20]
 */
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
  console.log(
    `${dialect}: seeded ${total} repositories in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const created = await hive.gql<{ createApiToken: { token: string } }>(
    hive.adminToken,
    'mutation{createApiToken(name:"bench",scope:METRICS){token}}',
  );
  const token = created.data!.createApiToken.token;
  const scrape = async () => {
    const s = performance.now();
    const res = await fetch(`${hive.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`scrape answered ${res.status}`);
    return { ms: performance.now() - s, bytes: Buffer.byteLength(text), lines: text.split('\n').length };
  };
  const before = memory();
  const fresh: number[] = [];
  const cached: number[] = [];
  let size = { bytes: 0, lines: 0 };
  let peakRss = 0;
  for (let i = 0; i < runs + 2; i++) {
    clock.advance(10_000);
    const r = await scrape();
    if (i >= 2) fresh.push(r.ms);
    size = r;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    cached.push((await scrape()).ms);
  }
  const afterScrapes = memory();
  // the same, inside the hive: the query and the text, without HTTP
  const render: number[] = [];
  for (let i = 0; i < Math.min(runs, 10); i++) {
    clock.advance(10_000);
    const s = performance.now();
    await hive.metrics.render();
    render.push(performance.now() - s);
  }
  console.log(
    JSON.stringify(
      {
        dialect,
        repositories: total,
        runs,
        freshScrapeMs: stats(fresh),
        cachedScrapeMs: stats(cached),
        renderInsideHiveMs: stats(render),
        answer: { mb: mb(size.bytes), lines: size.lines },
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
