import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { startHive, type Hive } from '../app.js';
import { loadConfig } from '../config/config.js';
import type { Em } from '../db/orm.js';
import { RepositoryEventType } from '../modules/repository/repository-event-type.js';
import { Repository } from '../modules/repository/repository.entity.js';
import { createTestDatabase, type TestDatabase } from '../test-support/databases.js';
import { ADMIN_PASSWORD } from '../test-support/hive.js';
import { subscribe } from '../test-support/subscription.js';

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

test('two hives on one MariaDB and Redis: an event recorded by A reaches a subscriber of B', async () => {
  const db: TestDatabase = await createTestDatabase('mariadb');
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
    });
    const hive = await startHive(config, pino({ level: 'silent' }));
    cleanup.push(() => hive.stop());
    return hive;
  };
  const a = await start();
  const b = await start();
  assert.notEqual(a.url, b.url);

  const login = 'mutation($p:String!){login(username:"admin",password:$p){token}}';
  const tokenB = (await gql<{ login: { token: string } }>(b.url, null, login, { p: ADMIN_PASSWORD })).login
    .token;
  const tokenA = (await gql<{ login: { token: string } }>(a.url, null, login, { p: ADMIN_PASSWORD })).login
    .token;
  const created = await gql<{ createRepository: { id: string } }>(
    a.url,
    tokenA,
    'mutation{createRepository(input:{name:"shared"}){id}}',
  );
  const id = Number(created.createRepository.id);

  type Message = {
    repositoryEvents: { id: string; type: string; message: string; repository: { id: string } };
  };
  const sub = await subscribe<Message>(
    b.url,
    tokenB,
    'subscription{repositoryEvents{id type message repository{id}}}',
  );
  cleanup.push(() => sub.close());

  const em = a.services.orm.em.fork() as Em;
  const repo = await em.findOneOrFail(Repository, { id });
  // graphql-ws does not acknowledge a subscription: record until one arrives (each is a new event)
  let got: Message | undefined;
  for (let attempt = 0; !got && attempt < 20; attempt++) {
    const event = await a.services.events.record(
      em,
      repo,
      RepositoryEventType.UPDATED,
      'recorded on instance A',
    );
    got = await sub.waitFor((m) => m.repositoryEvents.id === String(event.id), 1000).catch(() => undefined);
  }
  assert.ok(got, 'the subscriber on B received an event recorded on A');
  assert.equal(got.repositoryEvents.message, 'recorded on instance A');
  assert.equal(got.repositoryEvents.repository.id, String(id));
  assert.equal(got.repositoryEvents.type, 'UPDATED');
});
