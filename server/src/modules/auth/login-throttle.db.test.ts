import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../../adapters/clock.js';
import { backgroundJobs } from '../../app.js';
import { openOrm, type Em, type Orm } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf } from '../../test-support/factories.js';
import { startTestHive, type GraphQLResult, type TestHive } from '../../test-support/hive.js';
import { AuthService } from './auth.service.js';
import { LoginFailure } from './login-failure.entity.js';
import { DbLoginFailureStore } from './login-failure.store.js';
import { LoginThrottle } from './login-throttle.js';

const MINUTE = 60_000;

/**
 * Two API instances on one database: the hive (through HTTP) and a second AuthService over its own ORM,
 * as another process behind the load balancer would be. Wrong passwords sleep up to 2 s each, as in
 * production; nothing here measures time.
 */
for (const dialect of dialects) {
  describe(`login throttle shared by two instances on ${dialect}`, () => {
    const clock = new ManualClock();
    let hive: TestHive;
    let orm: Orm;
    let other: AuthService;

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock, jobs: false } });
      for (const name of ['eve', 'frank']) await hive.newUser(name);
      orm = await openOrm(hive.config.database);
      const throttle = new LoginThrottle(new DbLoginFailureStore(orm), () => clock.now().getTime());
      other = new AuthService(
        clock,
        pino({ level: 'silent' }),
        1,
        throttle,
        hive.services.limits,
        hive.services.totp,
      );
    });
    after(async () => {
      await orm.close(true);
      await hive.dispose();
    });
    beforeEach(() => orm.em.fork().nativeDelete(LoginFailure, {}));

    const onHive = (username: string, password = 'wrong-password'): Promise<GraphQLResult> =>
      hive.gql(null, 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}', {
        u: username,
        p: password,
      });
    /** The message the other instance answers with ('ok' for a login). */
    const onOther = (username: string, password = 'wrong-password', address = '10.0.0.2') =>
      other.login(orm.em.fork() as Em, username, password, address).then(
        () => 'ok',
        (err: Error) => err.message,
      );
    const failuresOf = async (key: string) =>
      (await orm.em.fork().findOne(LoginFailure, { key }))?.failures ?? 0;

    it('failures spread over both reach the lock, which says how long it lasts', async () => {
      // only the user is shared: each instance sees its own client address
      for (let i = 0; i < 4; i++) {
        assert.equal(codeOf(await onHive('eve')), 'UNAUTHENTICATED');
        assert.equal(await onOther('eve'), 'wrong user name or password');
      }
      assert.equal(codeOf(await onHive('eve')), 'UNAUTHENTICATED');
      assert.equal(await failuresOf('user:eve'), 9);
      assert.equal(await onOther('eve'), 'too many failed logins; locked for 15 minute(s)');
      const locked = await onHive('eve', 'eve-password');
      assert.equal(codeOf(locked), 'FORBIDDEN');
      assert.equal(locked.errors?.[0]?.message, 'too many failed logins; try again in 15 minute(s)');
      clock.advance(5 * MINUTE + 1_000);
      assert.equal(await onOther('eve', 'eve-password'), 'too many failed logins; try again in 10 minute(s)');
      clock.advance(10 * MINUTE);
      assert.equal(await onOther('eve', 'eve-password'), 'ok', 'the lock is over');
      assert.equal(codeOf(await onHive('eve')), 'UNAUTHENTICATED', 'and counting starts over');
    });

    it("a success on one instance resets the user's counter on both", async () => {
      for (let i = 0; i < 3; i++) {
        await onHive('frank');
        await onOther('frank');
      }
      assert.equal(await failuresOf('user:frank'), 6);
      assert.equal(await failuresOf('addr:10.0.0.2'), 3);
      assert.equal(await onOther('frank', 'frank-password'), 'ok');
      assert.equal(await failuresOf('user:frank'), 0);
      assert.equal(await failuresOf('addr:10.0.0.2'), 0);
      await onHive('frank');
      assert.equal(await failuresOf('user:frank'), 1);
    });

    it('concurrent failures on both instances are all counted, a new key included', async () => {
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, () => onHive('nobody').then((r) => r.errors?.[0]?.message)),
        ...Array.from({ length: 5 }, (_, i) => onOther('nobody', 'wrong-password', `10.0.1.${i}`)),
      ]);
      assert.deepEqual(new Set(answers), new Set(['wrong user name or password']));
      assert.equal(await failuresOf('user:nobody'), 9);
      assert.equal(await onOther('nobody'), 'too many failed logins; locked for 15 minute(s)');
      assert.equal(await onOther('Nobody'), 'too many failed logins; try again in 15 minute(s)');
    });

    it('the first attempts of a new key, counted at once by both stores, all count, and none past the limit', async () => {
      const stores = [new DbLoginFailureStore(hive.services.orm), new DbLoginFailureStore(orm)];
      const t = clock.now().getTime();
      const reserve = (key: string, limit: number | null) =>
        Promise.all(
          Array.from({ length: 30 }, (_, i) => stores[i % 2]!.reserve(key, limit, t, t - 60 * MINUTE)),
        );
      const unlimited = await reserve('user:race', null);
      assert.equal(unlimited.filter((r) => r.granted).length, 30);
      assert.equal(await failuresOf('user:race'), 30);
      const limited = await reserve('user:limited', 10);
      assert.equal(limited.filter((r) => r.granted).length, 10);
      assert.equal(await failuresOf('user:limited'), 10);
    });

    it('a user name longer than the key column is counted too', async () => {
      const long = 'x'.repeat(1_000);
      assert.equal(codeOf(await onHive(long)), 'UNAUTHENTICATED');
      assert.equal(await onOther(long), 'wrong user name or password');
      const rows = await orm.em.fork().find(LoginFailure, { key: { $like: 'user:x%' } });
      assert.deepEqual(
        rows.map((r) => [r.key.length, r.failures]),
        [[200, 2]],
      );
    });

    it('the hourly job forgets failures an hour old', async () => {
      await onHive('frank');
      for (let i = 0; i < 2; i++) await onOther('nobody', 'wrong-password', `10.0.2.${i}`);
      clock.advance(61 * MINUTE);
      await onHive('eve');
      const job = backgroundJobs(hive.services).find((j) => j.name === 'login-failures-cleanup');
      assert.equal(await job?.run(), 7, 'frank, nobody, the two addresses and the three pairs');
      const left = await orm.em.fork().find(LoginFailure, {}, { orderBy: { key: 'asc' } });
      assert.deepEqual(
        left.map((r) => [r.key.replace(/^(addr|pair):[^ ]*/, '$1:'), r.failures]),
        [
          ['addr:', 1],
          ['pair: eve', 1],
          ['user:eve', 1],
        ],
        'the hive address failed an hour ago and again now: counting started over',
      );
    });
  });
}
