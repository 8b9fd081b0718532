import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { startHive, type Hive } from '../app.js';
import { loadConfig } from '../config/config.js';
import { createTestDatabase } from '../test-support/databases.js';
import { eventually } from '../test-support/eventually.js';
import { ADMIN_PASSWORD } from '../test-support/hive.js';
import { connectWs } from '../test-support/ws-client.js';

const REDIS_URL = process.env.BORGHIVE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const cleanup: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function gql<T>(url: string, token: string | null, query: string, variables = {}): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

test('two hives on one database and Redis: revoking on A closes the sockets on B', async () => {
  const db = await createTestDatabase('mariadb');
  cleanup.push(() => db.drop());
  const prefix = `bh-test-${randomBytes(4).toString('hex')}:`;
  const start = async (): Promise<Hive> => {
    const dir = await mkdtemp(join(tmpdir(), 'bh-redis-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const config = loadConfig({
      BORGHIVE_DATA_DIR: dir,
      BORGHIVE_DATABASE_URL: db.database.url,
      BORGHIVE_PORT: '0',
      BORGHIVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      BORGHIVE_WATCH: 'false',
      BORGHIVE_REDIS_URL: REDIS_URL,
      BORGHIVE_REDIS_PREFIX: prefix,
      // no periodic re-check in this test: only the bus can tell B
      BORGHIVE_WS_RECHECK_SECONDS: '3600',
    });
    const hive = await startHive(config, pino({ level: 'silent' }));
    cleanup.push(() => hive.stop());
    return hive;
  };
  const a = await start();
  const b = await start();

  const login = 'mutation($p:String!){login(username:"admin",password:$p){token}}';
  const onA = (await gql<{ login: { token: string } }>(a.url, null, login, { p: ADMIN_PASSWORD })).login
    .token;
  const onB = (await gql<{ login: { token: string } }>(b.url, null, login, { p: ADMIN_PASSWORD })).login
    .token;
  const made = await gql<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    a.url,
    onA,
    'mutation{createApiToken(name:"dashboard",scope:READ_ONLY){token apiToken{id}}}',
  );
  const tokenConn = await connectWs(b.url, made.createApiToken.token);
  const sessionConn = await connectWs(b.url, onB);
  cleanup.push(
    () => tokenConn.dispose(),
    () => sessionConn.dispose(),
  );
  tokenConn.listen('subscription{repositoryChanged{id}}');
  sessionConn.listen('subscription{repositoryChanged{id}}');

  await gql(a.url, onA, 'mutation($id:ID!){revokeApiToken(id:$id)}', { id: made.createApiToken.apiToken.id });
  const closed = await eventually('the token socket on B to close', async () => tokenConn.closed());
  assert.deepEqual(closed, { code: 4401, reason: 'credential revoked' });
  assert.equal(sessionConn.closed(), undefined, "the user's other credentials keep their sockets");

  // a password change on A ends the session that B's socket uses
  await gql(
    a.url,
    onA,
    'mutation($c:String!,$n:String!){changePassword(currentPassword:$c,newPassword:$n)}',
    { c: ADMIN_PASSWORD, n: `${ADMIN_PASSWORD}-2` },
  );
  const ended = await eventually('the session socket on B to close', async () => sessionConn.closed());
  assert.deepEqual(ended, { code: 4401, reason: 'credential revoked' });
});
