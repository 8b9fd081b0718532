import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LoginThrottle, type FailureRecord, type LoginFailureStore } from './login-throttle.js';

/** The store contract in memory, for the policy alone (the database store is tested in login-throttle.db.test.ts). */
class MemoryFailureStore implements LoginFailureStore {
  readonly records = new Map<string, FailureRecord>();

  read(keys: string[]): Promise<Map<string, FailureRecord>> {
    const found = keys.flatMap((k) => {
      const r = this.records.get(k);
      return r ? [[k, { ...r }] as const] : [];
    });
    return Promise.resolve(new Map(found));
  }

  addFailure(key: string, at: number, forgetBefore: number): Promise<FailureRecord> {
    const old = this.records.get(key);
    const r =
      old && !MemoryFailureStore.expired(old, at, forgetBefore)
        ? { ...old, failures: old.failures + 1, lastFailure: at }
        : { failures: 1, lockedUntil: 0, lastFailure: at };
    this.records.set(key, r);
    return Promise.resolve({ ...r });
  }

  lock(key: string, until: number): Promise<void> {
    const r = this.records.get(key);
    if (r) r.lockedUntil = Math.max(r.lockedUntil, until);
    return Promise.resolve();
  }

  remove(keys: string[]): Promise<void> {
    for (const k of keys) this.records.delete(k);
    return Promise.resolve();
  }

  removeExpired(at: number, forgetBefore: number): Promise<number> {
    const gone = [...this.records].filter(([, r]) => MemoryFailureStore.expired(r, at, forgetBefore));
    for (const [k] of gone) this.records.delete(k);
    return Promise.resolve(gone.length);
  }

  private static expired(r: FailureRecord, at: number, forgetBefore: number): boolean {
    return r.lockedUntil <= at && r.lastFailure < forgetBefore;
  }
}

it('slows down after a few failures and locks out after more, per key', async () => {
  let now = 0;
  const t = new LoginThrottle(new MemoryFailureStore(), () => now, {
    freeAttempts: 3,
    lockAfter: 6,
    lockMs: 60_000,
    forgetAfterMs: 3_600_000,
  });
  const keys = ['user:eve', 'addr:10.0.0.1'];
  const delays = [];
  for (let i = 0; i < 5; i++) delays.push((await t.fail(keys)).delayMs);
  assert.deepEqual(delays, [0, 0, 0, 250, 500]);
  const last = await t.fail(keys);
  assert.equal(last.allowed, false);
  assert.equal(last.retryAfterSeconds, 60);
  assert.equal((await t.check(['user:eve'])).allowed, false, 'the user is locked');
  assert.equal((await t.check(['addr:10.0.0.1', 'user:other'])).allowed, false, 'so is the address');
  assert.equal((await t.check(['user:other', 'addr:10.0.0.2'])).allowed, true);
  now += 61_000;
  assert.equal((await t.check(keys)).allowed, true, 'the lock expires');
  await t.succeed(keys);
  assert.equal((await t.fail(keys)).delayMs, 0, 'success resets the count');
});

it('forgets a key an hour after its last failure, and not while it is locked', async () => {
  let now = 0;
  const store = new MemoryFailureStore();
  const t = new LoginThrottle(store, () => now, { lockAfter: 4, lockMs: 2 * 3_600_000 });
  for (let i = 0; i < 3; i++) await t.fail(['user:eve']);
  await t.fail(['user:mallory']);
  now += 3_600_001;
  assert.equal((await t.fail(['user:eve'])).delayMs, 0, 'an hour without failures: counting starts over');
  for (let i = 0; i < 3; i++) await t.fail(['user:eve']);
  assert.equal((await t.check(['user:eve'])).retryAfterSeconds, 7200);
  assert.equal(await t.forgetExpired(), 1, 'mallory is forgotten');
  now += 3_600_001;
  assert.equal(await t.forgetExpired(), 0, 'the lock outlasts the hour');
  assert.equal((await t.check(['user:eve'])).retryAfterSeconds, 3600);
  now += 3_600_000;
  assert.equal((await t.check(['user:eve'])).allowed, true);
  assert.equal(await t.forgetExpired(), 1);
  assert.deepEqual([...store.records.keys()], []);
});

it('through the API: a locked user is told so', async () => {
  const { startTestHive } = await import('../../test-support/hive.js');
  const hive = await startTestHive();
  try {
    let last: { errors?: { message: string; extensions?: { code?: string } }[] } = {};
    for (let i = 0; i < 10; i++) {
      last = await hive.gql(null, 'mutation{login(username:"admin",password:"wrong-one"){token}}');
      if (last.errors?.[0]?.extensions?.code === 'FORBIDDEN') break;
    }
    assert.equal(last.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(last.errors?.[0]?.message ?? '', /too many failed logins/);
    const right = await hive.gql(
      null,
      'mutation{login(username:"admin",password:"admin-password-1"){token}}',
    );
    assert.match(right.errors?.[0]?.message ?? '', /too many failed logins/, 'even the right password waits');
  } finally {
    await hive.dispose();
  }
});
