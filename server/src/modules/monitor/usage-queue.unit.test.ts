import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeTime, settle } from '../../test-support/fakes/fake-time.js';
import { ManualPromise } from '../../test-support/fakes/manual-promise.js';
import { recordingLogger } from '../../test-support/fakes/recording-logger.js';
import { MAX_WAIT_MS, UsageQueue } from './usage-queue.js';

/** A queue whose disk walks answer when the test says so. */
function queue(delayMs = 1000) {
  const time = new FakeTime();
  const { logger, lines } = recordingLogger();
  const walks: { path: string; answer: ManualPromise<number> }[] = [];
  const measured: [string, number, string][] = [];
  const usage = new UsageQueue(
    (key, bytes, at) => measured.push([key, bytes, at.toISOString()]),
    logger,
    delayMs,
    {
      measure: (path) => {
        const answer = new ManualPromise<number>();
        walks.push({ path, answer });
        return answer.promise;
      },
      clock: time,
      timers: time,
    },
  );
  return { time, lines, walks, measured, usage };
}

it('a repository asked for several times while waiting is walked once, after delayMs of quiet', async () => {
  const { time, walks, measured, usage } = queue();
  usage.schedule('u1/a', '/repos/u1/a');
  await time.advance(600);
  usage.schedule('u1/a', '/repos/u1/a');
  await time.advance(600);
  usage.schedule('u1/a', '/repos/u1/a');
  await time.advance(999);
  assert.equal(walks.length, 0, 'a burst of commits: still waiting');
  await time.advance(1);
  assert.deepEqual(
    walks.map((w) => w.path),
    ['/repos/u1/a'],
  );
  walks[0]?.answer.resolve(4096);
  await settle();
  assert.deepEqual(measured, [['u1/a', 4096, time.now().toISOString()]]);
});

it('walks one repository at a time', async () => {
  const { time, walks, measured, usage } = queue();
  usage.schedule('u1/a', '/repos/u1/a');
  usage.schedule('u1/b', '/repos/u1/b');
  await time.advance(1000);
  assert.equal(walks.length, 1, 'the second waits for the first');
  walks[0]?.answer.resolve(1);
  await settle();
  assert.equal(walks.length, 2);
  walks[1]?.answer.resolve(2);
  await settle();
  assert.deepEqual(
    measured.map(([key, bytes]) => [key, bytes]),
    [
      ['u1/a', 1],
      ['u1/b', 2],
    ],
  );
});

it('a walk that fails is logged and the others still run', async () => {
  const { time, lines, walks, measured, usage } = queue();
  usage.schedule('u1/a', '/repos/u1/a');
  usage.schedule('u1/b', '/repos/u1/b');
  await time.advance(1000);
  walks[0]?.answer.reject(new Error('EACCES'));
  await settle();
  walks[1]?.answer.resolve(7);
  await settle();
  assert.deepEqual(
    measured.map(([key]) => key),
    ['u1/b'],
  );
  const warning = lines.find((l) => l.msg === 'usage measurement failed');
  assert.equal(warning?.repository, 'u1/a');
});

it('drain walks what is pending now; stop drops what is pending', async () => {
  const { time, walks, measured, usage } = queue();
  usage.schedule('u1/a', '/repos/u1/a');
  const drained = usage.drain();
  await settle();
  assert.equal(walks.length, 1, 'without waiting for the quiet time');
  walks[0]?.answer.resolve(5);
  await drained;
  assert.equal(measured.length, 1);
  usage.schedule('u1/b', '/repos/u1/b');
  await usage.stop();
  usage.schedule('u1/c', '/repos/u1/c');
  await time.advance(10_000);
  assert.equal(walks.length, 1, 'nothing walked after stop');
  assert.equal(time.pending, 0);
});

it('writes that never stop hold a measurement back at most MAX_WAIT_MS (a long push is measured on the way)', async () => {
  const { time, walks, usage } = queue();
  for (let t = 0; t < MAX_WAIT_MS - 500; t += 500) {
    usage.schedule('u1/a', '/repos/u1/a');
    await time.advance(500);
  }
  assert.equal(walks.length, 0, 'quiet never came');
  usage.schedule('u1/a', '/repos/u1/a');
  await time.advance(500);
  assert.equal(walks.length, 1, `measured ${MAX_WAIT_MS} ms after the first request`);
  walks[0]?.answer.resolve(1);
  await settle();
  usage.schedule('u1/a', '/repos/u1/a');
  await time.advance(999);
  assert.equal(walks.length, 1, 'the next request waits for quiet again');
  await time.advance(1);
  assert.equal(walks.length, 2);
});
