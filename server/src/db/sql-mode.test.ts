import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LoginFailure } from '../modules/auth/login-failure.entity.js';
import { ADMIN_PASSWORD, startTestHive, type TestHive } from '../test-support/hive.js';
import { startThrowawayMariadb, type ThrowawayMariadb } from '../test-support/mariadbd.js';
import { assertSafeSqlMode, MARIADB_SQL_MODE, unsafeSqlModes, type Em } from './orm.js';

const LOGIN = 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}';

it('NO_BACKSLASH_ESCAPES and ANSI_QUOTES (also inside ANSI) are unsafe', () => {
  assert.deepEqual(unsafeSqlModes(MARIADB_SQL_MODE), []);
  assert.deepEqual(unsafeSqlModes('STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES'), ['NO_BACKSLASH_ESCAPES']);
  assert.deepEqual(unsafeSqlModes('REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ANSI'), [
    'ANSI_QUOTES',
  ]);
});

/**
 * A MariaDB of its own whose server-wide sql_mode is NO_BACKSLASH_ESCAPES (the shared one at 3306 must
 * keep its settings): there mysql2's backslash escaping ends the string early, unless the hive pins the
 * sql_mode of every connection it opens.
 */
describe('a hive on a MariaDB started with --sql-mode=NO_BACKSLASH_ESCAPES', () => {
  let server: ThrowawayMariadb;
  let hive: TestHive;

  before(async () => {
    server = await startThrowawayMariadb(['--sql-mode=NO_BACKSLASH_ESCAPES']);
    const url = await server.createDatabase('hive');
    hive = await startTestHive({ env: { BORGHIVE_DATABASE_URL: url }, overrides: { jobs: false } });
  });
  after(async () => {
    await hive?.dispose();
    await server?.dispose();
  });

  it('pins the sql_mode of every connection it opens', async () => {
    const global = (await server.query('select @@GLOBAL.sql_mode as mode')) as { mode: string }[];
    assert.equal(global[0]?.mode, 'NO_BACKSLASH_ESCAPES', 'the server is hostile');
    // concurrent statements take several connections of the pool
    const modes = await Promise.all(
      Array.from({ length: 6 }, () =>
        hive.services.orm.em
          .fork()
          .getConnection()
          .execute<{ mode: string }[]>('select @@SESSION.sql_mode as mode, sleep(0.2) as s'),
      ),
    );
    assert.deepEqual(new Set(modes.map((rows) => rows[0]?.mode)), new Set([MARIADB_SQL_MODE]));
  });

  it('a login name with a quote stays a string: no injection into the throttle or the user lookup', async () => {
    const em = hive.services.orm.em.fork();
    await em.insert(LoginFailure, { key: 'addr:192.0.2.1', failures: 7, lastFailureAt: new Date() });
    const names = ["x' OR 1=1 -- ", "x\\' OR sleep(3) -- ", "nobody' OR username='admin' -- "];
    for (const u of names) {
      const r = await hive.gql(null, LOGIN, { u, p: ADMIN_PASSWORD });
      assert.equal(r.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `${u}: ${JSON.stringify(r)}`);
      assert.equal(r.data, null, "no token, though the password is the first user's");
    }
    const rows = await hive.services.orm.em.fork().find(LoginFailure, {}, { orderBy: { key: 'asc' } });
    const byKey = new Map(rows.map((row) => [row.key, row.failures]));
    assert.equal(byKey.get('addr:192.0.2.1'), 7, 'the other rows were not touched');
    for (const u of names) {
      assert.equal(byKey.get(`user:${u.toLowerCase()}`), 1, `the name was stored as it is: ${u}`);
    }
  });

  it('the start-up check refuses a session whose sql_mode is unsafe', async () => {
    await hive.services.orm.em.fork().transactional(async (tx) => {
      await tx.execute("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
      try {
        await assert.rejects(assertSafeSqlMode(tx as Em), /NO_BACKSLASH_ESCAPES .*refusing to start/);
      } finally {
        await tx.execute(`SET SESSION sql_mode = '${MARIADB_SQL_MODE}'`);
      }
    });
    await assertSafeSqlMode(hive.services.orm.em.fork() as Em);
  });
});
