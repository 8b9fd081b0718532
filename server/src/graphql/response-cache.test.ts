import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { ManualClock } from '../adapters/clock.js';
import { openOrm, type Orm } from '../db/orm.js';
import { dialects } from '../test-support/databases.js';
import { addKey, createGroup, createRepo } from '../test-support/factories.js';
import { startTestHive, type TestHive } from '../test-support/hive.js';
import { readDataVersion, ResponseCache } from './response-cache.js';

describe('ResponseCache', () => {
  it('answers only at the stored version and before the expiry', () => {
    const cache = new ResponseCache(100);
    cache.set('k', { version: '1', until: 50, text: 'answer' });
    assert.equal(cache.get('k', '1', 10), 'answer');
    assert.equal(cache.get('k', '2', 10), undefined, 'another version is a miss');
    assert.equal(cache.get('k', '1', 10), undefined, 'and drops the entry');
    cache.set('k', { version: '1', until: 50, text: 'answer' });
    assert.equal(cache.get('k', '1', 50), undefined, 'expired');
    assert.equal(cache.size, 0);
  });

  it('keeps the total under its bound, least recently used out first', () => {
    const cache = new ResponseCache(10);
    cache.set('a', { version: '1', until: Infinity, text: 'aaaa' });
    cache.set('b', { version: '1', until: Infinity, text: 'bbbb' });
    assert.equal(cache.get('a', '1', 0), 'aaaa');
    cache.set('c', { version: '1', until: Infinity, text: 'cccc' });
    assert.equal(cache.get('b', '1', 0), undefined, 'b was the least recently used');
    assert.equal(cache.get('a', '1', 0), 'aaaa');
    assert.equal(cache.get('c', '1', 0), 'cccc');
    cache.set('big', { version: '1', until: Infinity, text: 'x'.repeat(11) });
    assert.equal(cache.get('big', '1', 0), undefined, 'an answer over the bound is not kept');
    assert.equal(cache.size, 8);
  });
});

const FIELDS = `id name isStale owner { username email } groups { name } location { sshHost }
  sshKeys { name fingerprint } appendOnlySshKeys { name } events(limit: 5) { type message }
  statistics(limit: 5) { usageBytes }`;
const LIST = `{ repositories { ${FIELDS} } }`;
// the same selection under a cache key nobody else uses (the text differs by a comment): executed afresh
const freshQuery = (nonce: number) => `# ${nonce}\n${LIST}`;

for (const dialect of dialects) {
  describe(`response cache on ${dialect}`, () => {
    let hive: TestHive;
    let other: Orm;
    const clock = new ManualClock(new Date());
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let statements = 0;
    let nonce = 0;

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock } });
      // another process on the same database: its writes never pass through this hive's code
      other = await openOrm(hive.config.database);
      alice = await hive.newUser('alice');
      bob = await hive.newUser('bob');
      const group = await createGroup(hive, `cache-${dialect}`, [alice.id]);
      const key = await addKey(hive, alice.token, 'laptop');
      await createRepo(hive, alice.token, { name: 'laptop', sshKeyIds: [key.id], groupIds: [group] });
      await createRepo(hive, alice.token, { name: 'phone', alertAfterDays: 1 });
      await createRepo(hive, bob.token, { name: 'server' });
      const connection = hive.services.orm.driver.getConnection() as unknown as {
        execute: (...a: unknown[]) => Promise<unknown>;
      };
      const execute = connection.execute.bind(connection);
      connection.execute = (...a: unknown[]) => {
        statements++;
        return execute(...a);
      };
    });
    after(async () => {
      await other.close(true);
      await hive.dispose();
    });

    const run = async (token: string, query: string, variables?: Record<string, unknown>) => {
      statements = 0;
      const r = await hive.gql<{ repositories: Record<string, unknown>[] }>(token, query, variables);
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return { list: r.data?.repositories ?? [], statements };
    };
    const cached = (token = hive.adminToken) => run(token, LIST);
    const fresh = (token = hive.adminToken) => run(token, freshQuery(++nonce));
    const sql = (text: string, params: unknown[] = []) =>
      other.em.getConnection().execute(text, params, 'run');

    it('answers a repeated list from the cache: the same data with fewer statements', async () => {
      const first = await cached();
      const second = await cached();
      assert.deepEqual(second.list, first.list);
      assert.equal(first.list.length, 3);
      assert.ok(
        second.statements < first.statements,
        `a hit reads the version only (${second.statements} statements, a miss ${first.statements})`,
      );
    });

    it('gives every admin the same answer from one entry', async () => {
      const other = await hive.newUser(`admin2-${dialect}`, { isAdmin: true });
      const first = await cached();
      const second = await cached(other.token);
      assert.deepEqual(second.list, first.list);
      assert.ok(second.statements < first.statements, 'the second admin is answered from the cache');
    });

    it('never answers one caller with another caller’s list', async () => {
      await cached(alice.token);
      await cached(alice.token);
      const forBob = await cached(bob.token);
      assert.deepEqual(
        forBob.list.map((r) => r.name),
        ['server'],
      );
      assert.deepEqual((await fresh(bob.token)).list, forBob.list);
    });

    it('shows every change another process makes to a table the list reads', async () => {
      const changes: [string, string, unknown[]][] = [
        ['users', 'update users set email = ? where username = ?', ['new-alice@example.org', 'alice']],
        ['groups', 'update `groups` set name = ? where name = ?', [`renamed-${dialect}`, `cache-${dialect}`]],
        ['repository_locations', 'update repository_locations set ssh_host = ?', ['backup.example.org']],
        ['ssh_keys', 'update ssh_keys set name = ?', ['renamed-key']],
        ['repositories', 'update repositories set name = ? where name = ?', ['tablet', 'phone']],
        [
          'repository_events',
          "insert into repository_events (repository_id, type, message, created_at) select id, 'OPENED', 'by another process', created_at from repositories",
          [],
        ],
        [
          'repository_statistics',
          'insert into repository_statistics (repository_id, usage_bytes, created_at) select id, 4242, created_at from repositories',
          [],
        ],
        [
          'repository_append_only_keys',
          'insert into repository_append_only_keys (repository_id, ssh_key_id) select r.id, k.id from repositories r, ssh_keys k',
          [],
        ],
        ['repository_ssh_keys', 'delete from repository_ssh_keys', []],
        ['repository_groups', 'delete from repository_groups', []],
      ];
      for (const [table, text, params] of changes) {
        const before = await cached();
        await cached();
        await sql(text, params);
        const after = await cached();
        assert.notDeepEqual(after.list, before.list, `a change to ${table} shows`);
        assert.deepEqual(after.list, (await fresh()).list, `after a change to ${table}`);
      }
    });

    it('raises the version on insert, update and delete of every tracked table', async () => {
      const em = other.em.fork();
      const bumps = async (what: string, text: string, params: unknown[] = []) => {
        const v0 = await readDataVersion(em);
        await sql(text, params);
        const v1 = await readDataVersion(em);
        assert.notEqual(v1, v0, what);
      };
      await bumps(
        'group_members insert',
        'insert into group_members (group_id, user_id) select g.id, u.id from `groups` g, users u where u.username = ?',
        ['bob'],
      );
      await bumps('group_members delete', 'delete from group_members');
      await bumps(
        'ssh_key_groups insert',
        'insert into ssh_key_groups (ssh_key_id, group_id) select k.id, g.id from ssh_keys k, `groups` g',
      );
      await bumps('ssh_key_groups delete', 'delete from ssh_key_groups');
      await bumps(
        'repository_events insert',
        "insert into repository_events (repository_id, type, message, created_at) select id, 'CLOSED', '', created_at from repositories",
      );
      await bumps('repository_events update', "update repository_events set message = 'changed'");
      await bumps('repository_events delete', 'delete from repository_events');
      await bumps(
        'repository_statistics update',
        'update repository_statistics set usage_bytes = usage_bytes + 1',
      );
    });

    it(
      'lets writers on other connections go on while one transaction is open (MariaDB)',
      {
        skip: dialect !== 'mariadb' && 'SQLite has one writer at a time',
      },
      async () => {
        const uri = hive.config.database.url.replace(/^mariadb:/, 'mysql:');
        const open: mysql.Connection[] = [];
        const shard = async (c: mysql.Connection) =>
          Number(((await c.query('select connection_id() % 64 as s'))[0] as { s: number }[])[0]?.s);
        try {
          const a = await mysql.createConnection(uri);
          open.push(a);
          let b = await mysql.createConnection(uri);
          open.push(b);
          while ((await shard(b)) === (await shard(a))) open.push((b = await mysql.createConnection(uri)));
          const event =
            "insert into repository_events (repository_id, type, message, created_at) select id, 'OPENED', ?, now() from repositories limit 1";
          const before = await readDataVersion(other.em.fork());
          await a.beginTransaction();
          await a.query(event, ['held open']);
          await b.query('set session innodb_lock_wait_timeout = 2');
          await b.query(event, ['not blocked']); // fails after 2 s if it queued behind a's version row
          await a.commit();
          const after = await readDataVersion(other.em.fork());
          assert.equal(BigInt(after) - BigInt(before), 2n, 'both writes raised the version');
        } finally {
          for (const c of open) await c.end();
        }
      },
    );

    it('turns isStale true when its time comes, with no write in between', async () => {
      const stale = async () =>
        (await cached(alice.token)).list.find((r) => r.name === 'tablet')?.isStale as boolean;
      assert.equal(await stale(), false);
      assert.equal(await stale(), false);
      clock.advance(24 * 3600_000 + 1000);
      assert.equal(await stale(), true, 'one day after creation, alertAfterDays: 1');
    });
  });
}
