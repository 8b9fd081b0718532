/**
 * bench/api: the `repositories` query with every contract field over 10,000 repositories (3 keys each,
 * 100 users), as admin (all) and as a user who sees 100; median and p99 time, SQL statements per request;
 * each repeated with nothing changed (the response cache answers) and after a change (built afresh).
 * Usage: npx node bench/dist/api.js [sqlite|mariadb] [repositories=10000] [runs=30]
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { startTestHive, type TestHive, hashPassword } from '@borg-hive/server/testing';

const dialect = (process.argv[2] ?? 'sqlite') as 'sqlite' | 'mariadb';
const total = Number(process.argv[3] ?? 10_000);
const runs = Number(process.argv[4] ?? 30);
const USERS = 100;

const QUERY = `{ repositories { id name repoUser uid mode path url quotaBytes alertAfterDays isOpen lastAccessAt
  lastUpdatedAt usageBytes isStale pingUrl createdAt sshKeys { id name fingerprint } appendOnlySshKeys { id name }
  owner { id username } groups { id name } events(limit: 5) { id type message createdAt }
  statistics(limit: 5) { id usageBytes createdAt } } }`;

async function seed(hive: TestHive): Promise<void> {
  const conn = hive.services.orm.em.getConnection();
  const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
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
    Array.from({ length: USERS }, (_, u) => [1000 + u, `user${u}`, `user${u}@bench`, hash, 0, 12, 5, now]),
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
      now,
    ]),
  );
  await batch(
    'repositories',
    [
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
    ],
    Array.from({ length: total }, (_, r) => [
      r + 1,
      `repo${r}`,
      `b${String(r).padStart(7, '0')}`,
      1111 + r,
      1000,
      1,
      'BORG',
      r % 2 ? 3 : null,
      1000 + (r % USERS),
      0,
      randomUUID(),
      r * 1000,
      now,
    ]),
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
      now,
    ]),
  );
}

/**
 * The floor under any server: the same answer's bytes from a bare node:http server, fetched and parsed
 * by the same client in this process (the client's share of every figure above).
 */
async function clientFloor(body: Buffer, runs: number): Promise<{ median: number; p99: number }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  const times: number[] = [];
  try {
    for (let i = 0; i < runs + 3; i++) {
      const s = performance.now();
      await (await fetch(url, { method: 'POST', body: '{}' })).json();
      if (i >= 3) times.push(performance.now() - s);
    }
  } finally {
    server.close();
  }
  return stats(times);
}

function stats(ms: number[]): { median: number; p99: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { median: Number(at(0.5).toFixed(1)), p99: Number(at(0.99).toFixed(1)) };
}

const hive = await startTestHive({ dialect });
try {
  const t0 = performance.now();
  await seed(hive);
  console.log(
    `${dialect}: seeded ${total} repositories, ${total * 3} keys, ${USERS} users in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const userToken = await hive.login('user7', 'bench-password');
  const connection = hive.services.orm.driver.getConnection() as unknown as {
    execute: (...a: unknown[]) => Promise<unknown>;
  };
  const original = connection.execute.bind(connection);
  let statements = 0;
  connection.execute = (...a: unknown[]) => {
    statements++;
    return original(...a);
  };
  const conn = hive.services.orm.em.getConnection();
  const change = () =>
    conn.execute(
      "insert into repository_events (repository_id, type, message, created_at) values (1, 'ACCESSED', 'bench', ?)",
      [new Date().toISOString().slice(0, 19).replace('T', ' ')],
      'run',
    );
  // repeated: the same query again with nothing changed (answered by the response cache);
  // after a change: an event is recorded before each request, so every answer is built afresh
  for (const [who, token, expect] of [
    ['admin', hive.adminToken, total],
    ['user (sees 100)', userToken, total / USERS],
  ] as const) {
    for (const mode of ['repeated', 'after a change'] as const) {
      const times: number[] = [];
      const perRequest: number[] = [];
      for (let i = 0; i < runs + 3; i++) {
        if (mode === 'after a change') await change();
        statements = 0;
        const s = performance.now();
        const r = await hive.gql<{ repositories: unknown[] }>(token, QUERY);
        const dt = performance.now() - s;
        if (r.errors || r.data?.repositories.length !== expect)
          throw new Error(`${who}: ${JSON.stringify(r.errors)} ${r.data?.repositories.length}`);
        if (i >= 3) {
          times.push(dt);
          perRequest.push(statements);
        }
      }
      console.log(
        `${dialect} ${who}, ${mode}: ${expect} repositories, median ${stats(times).median} ms, p99 ${stats(times).p99} ms, SQL statements per request ${Math.min(...perRequest)}..${Math.max(...perRequest)}`,
      );
    }
  }
  const answer = await fetch(`${hive.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${hive.adminToken}` },
    body: JSON.stringify({ query: QUERY }),
  });
  const body = Buffer.from(await answer.arrayBuffer());
  const floor = await clientFloor(body, runs);
  console.log(
    `client floor (the admin answer, ${(body.length / 2 ** 20).toFixed(1)} MiB, from a bare node:http server): median ${floor.median} ms, p99 ${floor.p99} ms`,
  );
} finally {
  await hive.dispose();
}
