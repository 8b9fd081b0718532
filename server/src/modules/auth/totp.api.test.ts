import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { ManualClock } from '../../adapters/clock.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { AuditEntry } from '../audit/index.js';
import { TotpFactor } from './totp.entity.js';

const STEP = 30_000;
/** The middle of a 30-second step, so a step either side is exactly the window's edge. */
const T0 = new Date(Math.floor(Date.UTC(2026, 11, 5, 12) / STEP) * STEP + 15_000);

function codeAt(secret: string, at: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: at,
  });
}

const LOGIN = 'mutation($u:String!,$p:String!,$o:String){login(username:$u,password:$p,otp:$o){token}}';

describe('TOTP second factor (RFC 6238, codes computed here)', () => {
  let hive: TestHive;
  const clock = new ManualClock(T0);
  let token: string;
  let secret: string;
  let recovery: string[];

  const login = (otp: string | null) =>
    hive.gql<{ login: { token: string } }>(null, LOGIN, { u: 'tess', p: 'tess-password', o: otp });

  before(async () => {
    hive = await startTestHive({ overrides: { clock } });
    token = (await hive.newUser('tess')).token;
  });
  after(() => hive.dispose());

  it('enrols: the secret is sealed at rest, a wrong code does not confirm, a right one answers 10 recovery codes', async () => {
    const other = await hive.login('tess', 'tess-password');
    const r = await hive.gql<{ enableTotp: { secret: string; otpauthUrl: string } }>(
      token,
      'mutation{enableTotp{secret otpauthUrl}}',
    );
    secret = r.data!.enableTotp.secret;
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(r.data!.enableTotp.otpauthUrl, /^otpauth:\/\/totp\/Borg%20Hive:tess\?.*secret=/);
    const row = await hive.services.orm.em.fork().findOneOrFail(TotpFactor, { user: { username: 'tess' } });
    assert.ok(!row.secretSealed.includes(secret) && row.secretSealed.startsWith('bh1:'));
    // enrolment alone changes nothing at sign-in
    assert.ok((await login(null)).data?.login.token);

    const wrong = await hive.gql(token, 'mutation($c:String!){confirmTotp(code:$c)}', {
      c: '000000' === codeAt(secret, T0.getTime()) ? '111111' : '000000',
    });
    assert.equal(wrong.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const ok = await hive.gql<{ confirmTotp: string[] }>(
      token,
      'mutation($c:String!){confirmTotp(code:$c)}',
      {
        c: codeAt(secret, T0.getTime()),
      },
    );
    recovery = ok.data!.confirmTotp;
    assert.equal(recovery.length, 10);
    assert.equal(new Set(recovery).size, 10);
    // a new second factor ends the other sessions; this one carries on
    assert.equal((await hive.gql(other, '{me{id}}')).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const status = await hive.gql<{ totpStatus: { enabled: boolean; recoveryCodesLeft: number } }>(
      token,
      '{totpStatus{enabled recoveryCodesLeft}}',
    );
    assert.deepEqual(status.data?.totpStatus, { enabled: true, recoveryCodesLeft: 10 });
  });

  it('the password alone answers UNAUTHENTICATED with otpRequired', async () => {
    const r = await login(null);
    assert.equal(r.data, null);
    assert.equal(r.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal((r.errors?.[0]?.extensions as { otpRequired?: boolean }).otpRequired, true);
    const wrongPassword = await hive.gql(null, LOGIN, {
      u: 'tess',
      p: 'nope',
      o: codeAt(secret, T0.getTime()),
    });
    assert.equal(wrongPassword.errors?.[0]?.message, 'wrong user name or password');
  });

  it('accepts one step either side and no further, each step once (window edges and replay)', async () => {
    clock.set(new Date(T0.getTime() + 10 * STEP)); // past the step used to confirm
    const now = clock.now().getTime();
    for (const off of [-2, 2]) {
      const r = await login(codeAt(secret, now + off * STEP));
      assert.equal(r.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `step ${off} is outside the window`);
    }
    assert.ok((await login(codeAt(secret, now - STEP))).data?.login.token, 'previous step');
    assert.equal(
      (await login(codeAt(secret, now - STEP))).errors?.[0]?.extensions?.code,
      'UNAUTHENTICATED',
      'replay',
    );
    assert.ok((await login(codeAt(secret, now))).data?.login.token, 'current step');
    assert.ok((await login(codeAt(secret, now + STEP))).data?.login.token, 'next step');
    // the window moves on; the code that was "next" is now current, and used
    clock.advance(STEP);
    assert.equal((await login(codeAt(secret, now + STEP))).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    // an older step than one used is refused even inside the window
    clock.advance(STEP);
    assert.equal((await login(codeAt(secret, now + STEP))).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.ok((await login(codeAt(secret, now + 2 * STEP))).data?.login.token);
  });

  it('a recovery code signs in once, typed in any case and spacing', async () => {
    const code = recovery[0]!;
    assert.ok((await login(` ${code.toUpperCase().replace(/-/g, ' ')} `)).data?.login.token);
    assert.equal((await login(code)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.ok((await login(recovery[1]!)).data?.login.token, 'the others still work');
    const status = await hive.gql<{ totpStatus: { recoveryCodesLeft: number } }>(
      token,
      '{totpStatus{recoveryCodesLeft}}',
    );
    assert.equal(status.data?.totpStatus.recoveryCodesLeft, 8);
  });

  it('disables with a valid code only; then the password alone signs in again', async () => {
    clock.advance(10 * STEP);
    const bad = await hive.gql(token, 'mutation($c:String!){disableTotp(code:$c)}', { c: 'not-a-code' });
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const ok = await hive.gql(token, 'mutation($c:String!){disableTotp(code:$c)}', {
      c: codeAt(secret, clock.now().getTime()),
    });
    assert.equal(ok.data?.disableTotp, true);
    assert.ok((await login(null)).data?.login.token);
    const again = await hive.gql(token, 'mutation($c:String!){disableTotp(code:$c)}', { c: recovery[2]! });
    assert.equal(again.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', 'its recovery codes went with it');
  });

  it('wrong codes are throttled like wrong passwords: they lock the account out', async () => {
    const u = await hive.newUser('guess');
    const e = await hive.gql<{ enableTotp: { secret: string } }>(u.token, 'mutation{enableTotp{secret}}');
    const s = e.data!.enableTotp.secret;
    await hive.gql(u.token, 'mutation($c:String!){confirmTotp(code:$c)}', {
      c: codeAt(s, clock.now().getTime()),
    });
    const right = codeAt(s, clock.now().getTime() + STEP);
    const wrong = right === '123456' ? '654321' : '123456';
    let locked = false;
    for (let i = 0; i < 12 && !locked; i++) {
      const r = await hive.gql(null, LOGIN, { u: 'guess', p: 'guess-password', o: wrong });
      locked = r.errors?.[0]?.extensions?.code === 'FORBIDDEN';
      // asking for the code (no otp) must not wipe the count of wrong ones
      await hive.gql(null, LOGIN, { u: 'guess', p: 'guess-password', o: null });
    }
    assert.ok(locked, 'wrong codes lock out');
    const r = await hive.gql(null, LOGIN, { u: 'guess', p: 'guess-password', o: right });
    assert.equal(r.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'even the right code waits out the lock');
    const outcomes = (
      await hive.services.orm.em.fork().find(AuditEntry, { operation: 'signIn', target: 'guess' })
    ).map((e) => e.outcome);
    assert.ok(
      outcomes.includes('FAILED') && outcomes.includes('LOCKED'),
      'the lockout is in the audit trail',
    );
  });
});

describe('BORGHIVE_REQUIRE_SECOND_FACTOR=admins', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({ env: { BORGHIVE_REQUIRE_SECOND_FACTOR: 'admins' } });
  });
  after(() => hive.dispose());

  it('an admin signed in with a password alone may only enrol; after enrolling the session is whole', async () => {
    const token = hive.adminToken;
    const blocked = await hive.gql(token, '{users{id}}');
    assert.equal(blocked.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(blocked.errors?.[0]?.message ?? '', /second factor/);
    assert.ok((await hive.gql(token, '{me{username}}')).data?.me);
    const e = await hive.gql<{ enableTotp: { secret: string } }>(token, 'mutation{enableTotp{secret}}');
    const secret = e.data!.enableTotp.secret;
    const c = await hive.gql(token, 'mutation($c:String!){confirmTotp(code:$c)}', {
      c: codeAt(secret, Date.now()),
    });
    assert.equal((c.data?.confirmTotp as string[]).length, 10);
    assert.ok((await hive.gql(token, '{users{id}}')).data?.users);
    const user = await hive.newUser('plain');
    assert.ok((await hive.gql(user.token, '{repositories{id}}')).data, 'non-admins are not asked');
  });
});

describe('TOTP and the audit trail on MariaDB', () => {
  let hive: TestHive;
  before(async () => {
    hive = await startTestHive({ dialect: 'mariadb' });
  });
  after(() => hive.dispose());

  it('a code is accepted once, a recovery code once; each step is in the trail', async () => {
    const u = await hive.newUser('maria');
    const e = await hive.gql<{ enableTotp: { secret: string } }>(u.token, 'mutation{enableTotp{secret}}');
    const secret = e.data!.enableTotp.secret;
    const c = await hive.gql<{ confirmTotp: string[] }>(
      u.token,
      'mutation($c:String!){confirmTotp(code:$c)}',
      {
        c: codeAt(secret, Date.now()),
      },
    );
    const recovery = c.data!.confirmTotp;
    const next = codeAt(secret, Date.now() + STEP);
    const login = (o: string) => hive.gql(null, LOGIN, { u: 'maria', p: 'maria-password', o });
    assert.ok((await login(next)).data);
    assert.equal((await login(next)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.ok((await login(recovery[0]!)).data);
    assert.equal((await login(recovery[0]!)).errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    const trail = await hive.gql<{ auditLog: { entries: { operation: string; outcome: string }[] } }>(
      hive.adminToken,
      '{auditLog(filter:{actorName:"maria"}){entries{operation outcome}}}',
    );
    assert.deepEqual(
      trail.data?.auditLog.entries.map((x) => `${x.operation} ${x.outcome}`),
      [
        'signIn FAILED',
        'signIn OK',
        'signIn FAILED',
        'signIn OK',
        'confirmTotp OK',
        'enableTotp OK',
        'signIn OK',
      ],
    );
  });
});
