import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pino } from 'pino';
import { ManualClock } from '../../adapters/clock.js';
import { openOrm, type Em, type Orm } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { eventually } from '../../test-support/eventually.js';
import { codeOf } from '../../test-support/factories.js';
import { startTestHive, type GraphQLResult, type TestHive } from '../../test-support/hive.js';
import { AuthService } from './auth.service.js';
import { LoginFailure } from './login-failure.entity.js';
import { DbLoginFailureStore } from './login-failure.store.js';
import { LoginThrottle } from './login-throttle.js';
import { Session } from './session.entity.js';

const LOGIN = 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}';
const WRONG = 'wrong user name or password';

/**
 * Guessing attacks on two API instances over one database: the hive (HTTP, its client is 127.0.0.1) and
 * a second AuthService over its own ORM, as another process behind the load balancer would be.
 */
for (const dialect of dialects) {
  describe(`login guessing attacks on ${dialect}`, () => {
    const clock = new ManualClock();
    let hive: TestHive;
    let orm: Orm;
    let other: AuthService;

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock, jobs: false } });
      for (const name of ['victim', 'boss']) await hive.newUser(name);
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

    /**
     * The message the hive answers with ('ok' for a login), each on a connection of its own: a kept-alive
     * one may be closed by the server just as the next request goes out (while two SQLite connections in
     * this one process make each other wait), which is no answer of the hive.
     */
    const onHive = (username: string, password: string) =>
      new Promise<string>((resolve, reject) => {
        const body = JSON.stringify({ query: LOGIN, variables: { u: username, p: password } });
        const req = request(
          `${hive.url}/graphql`,
          { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              const r = JSON.parse(text) as GraphQLResult<{ login: { token: string } }>;
              resolve(r.data?.login.token ? 'ok' : (r.errors?.[0]?.message ?? text));
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const onOther = (username: string, password: string, address: string) =>
      other.login(orm.em.fork() as Em, username, password, address).then(
        () => 'ok',
        (err: Error) => err.message,
      );
    const record = (key: string) =>
      orm.em.fork().findOne(LoginFailure, { key }, { disableIdentityMap: true });
    const sessionsOf = async (username: string) => orm.em.fork().count(Session, { user: { username } });

    it('300 concurrent wrong passwords get at most 10 password checks; the right one after them gets no token', async () => {
      const sessions = await sessionsOf('victim');
      // the same attacker, seen by both instances
      const flood = Array.from({ length: 300 }, (_, i) =>
        i % 2 === 0 ? onHive('victim', `guess-${i}`) : onOther('victim', `guess-${i}`, '127.0.0.1'),
      );
      // every admitted attempt is counted before its password is checked: the limit is reached while
      // the checks are still running
      await eventually('the user counter at its limit', async () => {
        const user = await record('user:victim');
        return user && (user.failures >= 10 || user.lockedUntil) ? true : undefined;
      });
      const right = await onHive('victim', 'victim-password');
      const answers = await Promise.all(flood);
      const checked = answers.filter((a) => a === WRONG || a.includes('locked for'));
      assert.equal(checked.length, 10, `password checks: ${JSON.stringify(answers.slice(0, 20))}`);
      assert.equal(answers.filter((a) => a.includes('try again in')).length, 290);
      assert.match(right, /^too many failed logins; try again in 15 minute\(s\)$/);
      assert.equal(await sessionsOf('victim'), sessions, 'no session was created');
      assert.ok(((await record('addr:127.0.0.1'))?.lockedUntil ?? null) !== null, 'the address is locked');
    });

    it('ten wrong passwords from one address do not lock the user out of another; the guesser stays locked', async () => {
      const answers = [];
      for (let i = 0; i < 10; i++) answers.push(await onHive('boss', `guess-${i}`));
      assert.deepEqual(answers.slice(0, 9), Array(9).fill(WRONG));
      assert.equal(answers[9], 'too many failed logins; locked for 15 minute(s)');
      assert.ok((await record('user:boss'))?.lockedUntil, 'the user counter is locked');
      assert.equal(
        await onOther('boss', 'boss-password', '10.9.8.7'),
        'ok',
        'the right password from elsewhere',
      );
      assert.equal(
        await onHive('boss', 'boss-password'),
        'too many failed logins; try again in 15 minute(s)',
        'the guessing address stays locked, even with the right password',
      );
      assert.equal(
        await onHive('victim', 'victim-password'),
        'too many failed logins; try again in 15 minute(s)',
      );
      assert.equal(codeOf(await hive.gql(null, LOGIN, { u: 'boss', p: 'x' })), 'FORBIDDEN');
    });
  });
}
