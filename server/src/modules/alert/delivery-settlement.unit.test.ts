import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RETRY_FOR_MS, retryDelayMs } from './delivery-backoff.js';
import { settleAttempt } from './delivery-settlement.js';

const MINUTE = 60_000;
const createdAt = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(createdAt.getTime() + ms);

it('backs off 30 s, 1 min, 2 min, ... and at most an hour between attempts', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n) / 1000),
    [30, 60, 120, 240, 480, 960, 1920, 3600, 3600],
  );
});

it('a failed send is rescheduled after the back-off of its attempt count', () => {
  const now = at(10 * MINUTE);
  const s = settleAttempt({ attempts: 2, createdAt, outcome: 'retry', error: 'HTTP 503' }, now);
  assert.deepEqual(s, {
    result: 'retrying',
    attempts: 3,
    error: 'HTTP 503',
    nextAttemptAt: new Date(now.getTime() + 2 * MINUTE),
  });
});

it('gives up once the next attempt would fall more than a day after the alert', () => {
  const late = settleAttempt(
    { attempts: 30, createdAt, outcome: 'retry', error: 'timeout' },
    at(RETRY_FOR_MS - 30 * MINUTE),
  );
  assert.deepEqual(late, {
    result: 'failed',
    attempts: 31,
    error: 'gave up after a day of retries: timeout',
  });
  const inTime = settleAttempt(
    { attempts: 30, createdAt, outcome: 'retry', error: 'timeout' },
    at(RETRY_FOR_MS - 60 * MINUTE),
  );
  assert.equal(inTime.result, 'retrying', 'an hour before the day is over the last retry still fits');
});

it('a send that can never work fails at once; a success is SENT whatever came before', () => {
  assert.deepEqual(
    settleAttempt({ attempts: 0, createdAt, outcome: 'final', error: 'invalid settings' }, at(0)),
    {
      result: 'failed',
      attempts: 1,
      error: 'invalid settings',
    },
  );
  assert.deepEqual(
    settleAttempt({ attempts: 4, createdAt, outcome: 'sent', error: null }, at(RETRY_FOR_MS * 2)),
    {
      result: 'sent',
      attempts: 5,
      error: null,
    },
  );
});

it('keeps at most 1000 characters of an error, and names an unknown one', () => {
  const long = settleAttempt({ attempts: 0, createdAt, outcome: 'retry', error: 'x'.repeat(5000) }, at(0));
  assert.equal(long.error?.length, 1000);
  assert.equal(
    settleAttempt({ attempts: 0, createdAt, outcome: 'retry', error: null }, at(0)).error,
    'unknown error',
  );
});
