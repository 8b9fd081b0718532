import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimiter } from './rate-limit.js';

describe('ping rate limiter', () => {
  it('allows `limit` hits at once, then one more per window / limit', () => {
    let now = 0;
    const limiter = new RateLimiter(20, 60_000, { now: () => now });
    const first = Array.from({ length: 21 }, () => limiter.hit('a'));
    assert.deepEqual(first, [...Array<boolean>(20).fill(true), false]);
    assert.equal(limiter.hit('b'), true, 'other keys are unaffected');
    now += 2_999;
    assert.equal(limiter.hit('a'), false);
    now += 1;
    assert.equal(limiter.hit('a'), true, 'one hit refilled after 3 s');
    assert.equal(limiter.hit('a'), false);
    now += 3_600_000;
    assert.deepEqual(
      Array.from({ length: 21 }, () => limiter.hit('a')).filter(Boolean).length,
      20,
      'an idle key refills to the limit, not beyond',
    );
  });

  it('holds at most its capacity under 100,000 distinct keys, forgetting the least recently used', () => {
    const now = 0;
    const limiter = new RateLimiter(1, 60_000, { capacity: 1000, now: () => now });
    assert.equal(limiter.hit('busy'), true);
    assert.equal(limiter.hit('busy'), false);
    for (let i = 0; i < 100_000; i += 1) {
      limiter.hit(`key-${i}`);
      if (i % 100 === 0) assert.equal(limiter.hit('busy'), false, 'a key in use stays in the map');
      assert.ok(limiter.size <= 1000);
    }
    assert.equal(limiter.size, 1000);
    assert.equal(limiter.hit('key-0'), true, 'a forgotten key starts again with a full bucket');
  });
});
