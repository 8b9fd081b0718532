import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createConnection, type Connection } from 'mysql2/promise';
import { codeOf, createRepo } from '../test-support/factories.js';
import { eventually } from '../test-support/eventually.js';
import { startTestHive, type GraphQLResult, type TestHive } from '../test-support/hive.js';

/**
 * Heavy operations (cost >= BORGHIVE_HEAVY_QUERY_COST) take one of the caller's slots while they run.
 * MariaDB's LOCK TABLES holds the running ones (their events are read behind the lock), so that the
 * test knows they are in flight without timing anything.
 */
describe('heavy operations per user', () => {
  let hive: TestHive;
  let alice: { id: string; token: string };
  let bob: { id: string; token: string };
  let locker: Connection;
  before(async () => {
    hive = await startTestHive({
      dialect: 'mariadb',
      env: { BORGHIVE_HEAVY_QUERY_COST: '40', BORGHIVE_HEAVY_QUERIES_PER_USER: '2' },
    });
    alice = await hive.newUser('alice');
    bob = await hive.newUser('bob');
    await createRepo(hive, alice.token, { name: 'alice-repo' });
    await createRepo(hive, bob.token, { name: 'bob-repo' });
    const u = new URL(hive.config.database.url);
    locker = await createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: u.pathname.slice(1),
    });
  });
  after(async () => {
    await locker.end();
    await hive.dispose();
  });

  it("refuses a user's third concurrent heavy query with TOO_MANY_REQUESTS while another user is served", async () => {
    // each alias makes the text differ: no answer comes from the response cache
    const heavy = (n: number) => `{ r${n}: repositories { id name events(limit: 5) { id message } } }`;
    const light = '{ me { username } }';
    await locker.query('LOCK TABLES repository_events WRITE');
    let running: Promise<GraphQLResult>[];
    try {
      running = [hive.gql(alice.token, heavy(1)), hive.gql(alice.token, heavy(2))];
      await eventually('both heavy queries hold a slot', async () =>
        hive.services.heavySlots.inUse(`user:${alice.id}`) === 2 ? true : undefined,
      );
      const third = await hive.gql(alice.token, heavy(3));
      assert.equal(codeOf(third), 'TOO_MANY_REQUESTS', JSON.stringify(third));
      assert.match(third.errors?.[0]?.message ?? '', /already run 2 heavy operations/);
      const cheap = await hive.gql<{ me: { username: string } }>(alice.token, light);
      assert.equal(cheap.data?.me.username, 'alice', 'a light query of the same user still runs');
      const other = await hive.gql<{ repositories: { name: string }[] }>(
        bob.token,
        '{ repositories { id name repoUser sshKeys { id name } groups { id } } }',
      );
      assert.equal(other.errors, undefined, JSON.stringify(other.errors));
      assert.deepEqual(
        other.data?.repositories.map((r) => r.name),
        ['bob-repo'],
      );
    } finally {
      await locker.query('UNLOCK TABLES');
    }
    const done = await Promise.all(running);
    for (const r of done) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.equal(hive.services.heavySlots.inUse(`user:${alice.id}`), 0, 'the slots are given back');
    const again = await hive.gql(alice.token, heavy(4));
    assert.equal(again.errors, undefined, JSON.stringify(again.errors));
  });
});
