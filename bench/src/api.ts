/**
 * bench/api (#2, #12): over N repositories (3 keys each, 100 owners, a mix of health states), as admin
 * (sees all) and as a user who sees N/100: the first page of 50 in ATTENTION order, a filtered search,
 * the summary, and the full `repositories` list with every contract field; median and p99 time and SQL
 * statements per request, each cold (right after a change: built afresh) and warm (repeated with nothing
 * changed: the response cache answers). No timed assertion: this machine is shared and noisy.
 * Usage: npx node bench/dist/api.js [sqlite|mariadb] [repositories=10000] [runs=30] [listRuns] [only]
 * (`only`: the cases whose name contains it, e.g. `search`)
 */
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { countStatements, startTestHive } from '@borg-hive/server/testing';
import { seed, USERS } from './api-seed.js';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
const total = Number(process.argv[3] ?? 10_000);
const runs = Number(process.argv[4] ?? 30);
/** the full list of 100,000 takes seconds per request: fewer runs by default */
const listRuns = Number(process.argv[5] || (total > 10_000 ? 3 : runs));
const only = process.argv[6] ?? '';

const LIST = `{ repositories { id name repoUser uid mode path url quotaBytes alertAfterDays isOpen lastAccessAt
  lastUpdatedAt usageBytes isStale pingUrl createdAt sshKeys { id name fingerprint } appendOnlySshKeys { id name }
  owner { id username } groups { id name } events(limit: 5) { id type message createdAt }
  statistics(limit: 5) { id usageBytes createdAt } } }`;
/** what a row of the console's overview shows */
const ROW = `id name repoUser url usageBytes quotaBytes lastBackupAt isOpen alertAfterDays owner { id username }
  location { id name } health { state reason since alertsOff }`;
const PAGE = `query($filter: RepositoryFilter) { repositoryPage(first: 50, orderBy: ATTENTION, filter: $filter) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ROW} } } } }`;
const SUMMARY = `{ repositorySummary { total usageBytes neverBackedUp ok inProgress stale failed unknown } }`;

function stats(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { median: Number(at(0.5).toFixed(1)), p99: Number(at(0.99).toFixed(1)) };
}

/** The same answer's bytes from a bare node:http server, fetched and parsed by the same client. */
async function clientFloor(body: Buffer, n: number): Promise<{ median: number; p99: number }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  const times: number[] = [];
  try {
    for (let i = 0; i < n + 3; i++) {
      const s = performance.now();
      await (await fetch(url, { method: 'POST', body: '{}' })).json();
      if (i >= 3) times.push(performance.now() - s);
    }
  } finally {
    server.close();
  }
  return stats(times);
}

// the seed takes longer than a keep-alive: a socket the client kept from before it would be reset
// the full list of 100,000 costs and weighs more than the default limits allow: raised here, to measure it
const hive = await startTestHive({
  dialect,
  env: {
    BORGHIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: '600000',
    BORGHIVE_MAX_QUERY_COST: '1000000000',
    BORGHIVE_MAX_RESPONSE_BYTES: String(2 ** 30),
  },
});
try {
  const t0 = performance.now();
  await seed(hive, total);
  console.log(
    `${dialect}: seeded ${total} repositories, ${total * 3} keys, ${USERS} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const userToken = await hive.login('user7', 'bench-password');
  const statements = countStatements(hive);
  const em = hive.services.orm.em.fork();
  // a change every table of the read model is versioned by: the next answer is built afresh
  const change = () =>
    em
      .getConnection()
      .execute(
        "insert into repository_events (repository_id, type, message, created_at) values (1, 'ACCESSED', 'bench', ?)",
        [em.getPlatform().processDateProperty(new Date())],
        'run',
      );
  const cases: [string, string, Record<string, unknown>, (d: Record<string, unknown>) => number, number][] = [
    [
      'page of 50 (ATTENTION)',
      PAGE,
      {},
      (d) => (d.repositoryPage as { edges: unknown[] }).edges.length,
      runs,
    ],
    [
      'search "repo42" (ATTENTION, 50)',
      PAGE,
      { filter: { search: 'repo42' } },
      (d) => (d.repositoryPage as { totalCount: number }).totalCount,
      runs,
    ],
    ['summary', SUMMARY, {}, (d) => (d.repositorySummary as { total: number }).total, runs],
    ['full repositories list', LIST, {}, (d) => (d.repositories as unknown[]).length, listRuns],
  ];
  for (const [who, token] of [
    ['admin', hive.adminToken],
    [`user (sees ${total / USERS})`, userToken],
  ] as const)
    for (const [what, query, variables, size, n] of cases.filter(([what]) => what.includes(only)))
      for (const mode of ['cold', 'warm'] as const) {
        const times: number[] = [];
        const perRequest: number[] = [];
        let answered = 0;
        for (let i = 0; i < n + 2; i++) {
          if (mode === 'cold') await change();
          statements.reset();
          const s = performance.now();
          const r = await hive.gql(token, query, variables);
          const dt = performance.now() - s;
          if (r.errors || !r.data) {
            console.log(
              `${dialect} ${total} ${who}, ${what}: refused ${JSON.stringify(r.errors?.[0]?.extensions)}`,
            );
            break;
          }
          answered = size(r.data);
          if (i >= 2) {
            times.push(dt);
            perRequest.push(statements.count);
          }
        }
        if (times.length === 0) continue;
        const { median, p99 } = stats(times);
        console.log(
          `${dialect} ${total} ${who}, ${what}, ${mode}: ${answered} rows/total, median ${median} ms, p99 ${p99} ms, statements ${Math.min(...perRequest)}..${Math.max(...perRequest)} (${n} runs)`,
        );
      }
  if ('full repositories list'.includes(only)) {
    const answer = await fetch(`${hive.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${hive.adminToken}` },
      body: JSON.stringify({ query: LIST }),
    });
    const body = Buffer.from(await answer.arrayBuffer());
    const floor = await clientFloor(body, listRuns);
    console.log(
      `client floor (the admin list, ${(body.length / 2 ** 20).toFixed(1)} MiB, from a bare node:http server): median ${floor.median} ms, p99 ${floor.p99} ms`,
    );
  }
} finally {
  await hive.dispose();
}
