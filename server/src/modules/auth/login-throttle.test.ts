import assert from 'node:assert/strict';
import { it } from 'node:test';
import { LoginThrottle } from './login-throttle.js';

it('slows down after a few failures and locks out after more, per key', () => {
  let now = 0;
  const t = new LoginThrottle(
    { freeAttempts: 3, lockAfter: 6, lockMs: 60_000, forgetAfterMs: 3_600_000 },
    () => now,
  );
  const keys = ['user:eve', 'addr:10.0.0.1'];
  const delays = [];
  for (let i = 0; i < 5; i++) delays.push(t.fail(keys).delayMs);
  assert.deepEqual(delays, [0, 0, 0, 250, 500]);
  const last = t.fail(keys);
  assert.equal(last.allowed, false);
  assert.equal(last.retryAfterSeconds, 60);
  assert.equal(t.check(['user:eve']).allowed, false, 'the user is locked');
  assert.equal(t.check(['addr:10.0.0.1', 'user:other']).allowed, false, 'so is the address');
  assert.equal(t.check(['user:other', 'addr:10.0.0.2']).allowed, true);
  now += 61_000;
  assert.equal(t.check(keys).allowed, true, 'the lock expires');
  t.succeed(keys);
  assert.equal(t.fail(keys).delayMs, 0, 'success resets the count');
});

it('through the API: a locked user is told so', async () => {
  const { startTestHive } = await import('../../test-support/hive.js');
  const hive = await startTestHive();
  try {
    hive.services.auth.throttle.succeed([]);
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
