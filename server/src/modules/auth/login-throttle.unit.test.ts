import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryFailureStore } from '../../test-support/fakes/memory-failure-store.js';
import { LoginThrottle, type Admission, type LoginAttempt } from './login-throttle.js';

function admitted(a: Admission): LoginAttempt {
  assert.ok(a.allowed, 'the attempt is admitted');
  return a.attempt;
}

/** A wrong password: admitted, then failed; what the client would be told. */
async function wrong(t: LoginThrottle, user: string, address: string): Promise<string> {
  const a = await t.admit(user, address);
  if (!a.allowed) return `refused ${a.retryAfterSeconds}`;
  const v = await t.fail(a.attempt);
  return v.locked ? `locked ${v.retryAfterSeconds}` : `wrong ${v.delayMs}`;
}

it('slows down after a few failures and locks out after more', async () => {
  let now = 0;
  const t = new LoginThrottle(new MemoryFailureStore(), () => now, {
    freeAttempts: 3,
    lockAfter: 6,
    lockMs: 60_000,
    forgetAfterMs: 3_600_000,
  });
  const answers = [];
  for (let i = 0; i < 7; i++) answers.push(await wrong(t, 'eve', '10.0.0.1'));
  assert.deepEqual(answers, [
    'wrong 0',
    'wrong 0',
    'wrong 0',
    'wrong 250',
    'wrong 500',
    'locked 60',
    'refused 60',
  ]);
  assert.equal((await t.admit('other', '10.0.0.1')).allowed, false, 'the address is locked for every user');
  assert.equal((await t.admit('other', '10.0.0.2')).allowed, true);
  now += 61_000;
  assert.equal(
    await wrong(t, 'eve', '10.0.0.1'),
    'locked 60',
    'after the lock, one attempt; wrong: locked again',
  );
  now += 61_000;
  await t.succeed(admitted(await t.admit('eve', '10.0.0.1')));
  assert.equal(await wrong(t, 'eve', '10.0.0.1'), 'wrong 0', 'success resets the count');
});

it('counts an attempt before its password is checked: of a concurrent flood, lockAfter are admitted', async () => {
  const t = new LoginThrottle(new MemoryFailureStore(), () => 0, { lockAfter: 10 });
  const flood = await Promise.all(Array.from({ length: 300 }, () => t.admit('eve', '10.0.0.1')));
  const attempts = flood.flatMap((a) => (a.allowed ? [a.attempt] : []));
  assert.equal(attempts.length, 10);
  for (const a of attempts) await t.fail(a);
  assert.equal((await t.admit('eve', '10.0.0.1')).allowed, false, 'the right password waits too');
});

it('a user locked by one address still signs in from one that never tried it; the guesser stays locked', async () => {
  let now = 0;
  const store = new MemoryFailureStore();
  const t = new LoginThrottle(store, () => now, { lockAfter: 5, freshAddressAttempts: 3, lockMs: 60_000 });
  for (let i = 0; i < 5; i++) await wrong(t, 'admin', '10.0.0.66');
  assert.equal(store.records.get('user:admin')?.lockedUntil, 60_000, 'the user counter is locked');
  await t.succeed(admitted(await t.admit('admin', '10.0.0.7')));
  assert.equal(
    store.records.get('user:admin'),
    undefined,
    'the right password from a clean address: signed in',
  );
  assert.match(await wrong(t, 'admin', '10.0.0.66'), /^refused/, 'the guessing address stays locked');

  // many addresses, one guess each, while the user is locked: each gets one, from a budget of its own
  for (let i = 0; i < 5; i++) await wrong(t, 'admin', `10.0.1.${i}`);
  assert.match(await wrong(t, 'admin', '10.0.1.0'), /^refused/, 'a second guess from an address is refused');
  const spread = [];
  for (let i = 0; i < 4; i++) spread.push(await wrong(t, 'admin', `10.0.2.${i}`));
  assert.deepEqual(
    spread.map((s) => s.split(' ')[0]),
    ['wrong', 'wrong', 'locked', 'refused'],
    'the budget of clean addresses is spent: now the user is locked for everyone',
  );
  assert.equal((await t.admit('admin', '10.0.3.1')).allowed, false);
  now += 61_000;
  await t.succeed(admitted(await t.admit('admin', '10.0.3.1')));
  assert.equal((await t.admit('admin', '10.0.3.2')).allowed, true, 'a success starts the user over');
});

it('a refused attempt counts nothing', async () => {
  const store = new MemoryFailureStore();
  const t = new LoginThrottle(store, () => 0, { lockAfter: 2, freshAddressAttempts: 1 });
  for (let i = 0; i < 2; i++) await wrong(t, 'eve', '10.0.0.1');
  assert.match(await wrong(t, 'eve', '10.0.0.2'), /^locked/, 'the clean address uses the fresh budget');
  assert.match(await wrong(t, 'eve', '10.0.0.3'), /^refused/);
  assert.equal(
    store.records.get('addr:10.0.0.3')?.failures,
    0,
    'the refused address was given its count back',
  );
  assert.equal(store.records.get('pair:10.0.0.3 eve')?.failures, 0);
});

it('forgets a key an hour after its last failure, and not while it is locked', async () => {
  let now = 0;
  const store = new MemoryFailureStore();
  const t = new LoginThrottle(store, () => now, { lockAfter: 4, lockMs: 2 * 3_600_000 });
  for (let i = 0; i < 3; i++) await wrong(t, 'eve', '10.0.0.1');
  await wrong(t, 'mallory', '10.0.0.2');
  now += 3_600_001;
  assert.equal(
    await wrong(t, 'eve', '10.0.0.1'),
    'wrong 0',
    'an hour without failures: counting starts over',
  );
  for (let i = 0; i < 3; i++) await wrong(t, 'eve', '10.0.0.1');
  assert.equal(await wrong(t, 'eve', '10.0.0.1'), 'refused 7200');
  assert.equal(await t.forgetExpired(), 3, 'mallory, her address and their pair are forgotten');
  now += 3_600_001;
  assert.equal(await t.forgetExpired(), 1, 'the lock outlasts the hour; the pair, which never locks, goes');
  assert.equal(await wrong(t, 'eve', '10.0.0.1'), 'refused 3600');
  now += 3_600_000;
  assert.equal((await t.admit('eve', '10.0.0.9')).allowed, true);
  assert.equal(await t.forgetExpired(), 1, 'the address, whose lock is over');
  assert.deepEqual([...store.records.keys()].sort(), ['addr:10.0.0.9', 'pair:10.0.0.9 eve', 'user:eve']);
});

it('steps that name no user are counted per address and kind; a sign-in from the address gives them back', async () => {
  let now = 0;
  const t = new LoginThrottle(new MemoryFailureStore(), () => now, {
    anonymousLimit: 3,
    lockMs: 60_000,
    forgetAfterMs: 3_600_000,
  });
  const starts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const a = await t.admitAnonymous('oidc-start', '10.0.0.5');
    starts.push(a.allowed ? 'ok' : `refused ${a.retryAfterSeconds}`);
  }
  assert.deepEqual(starts, ['ok', 'ok', 'ok', 'refused 60']);
  assert.equal((await t.admitAnonymous('passkey-options', '10.0.0.5')).allowed, true, 'another kind');
  assert.equal((await t.admitAnonymous('oidc-start', '10.0.0.6')).allowed, true, 'another address');
  assert.equal((await t.admit('eve', '10.0.0.5')).allowed, true, 'passwords are counted apart');
  // a sign-in from the address: its starts are forgotten
  await t.succeed(admitted(await t.admit('eve', '10.0.0.5')));
  assert.equal((await t.admitAnonymous('oidc-start', '10.0.0.5')).allowed, true);
  await t.forgetAnonymous('oidc-start', '10.0.0.6');
  now += 1;
  assert.equal((await t.admitAnonymous('oidc-start', '10.0.0.6')).allowed, true);
});
