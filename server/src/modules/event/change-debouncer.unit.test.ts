import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeTime } from '../../test-support/fakes/fake-time.js';
import { ChangeDebouncer } from './change-debouncer.js';

function debouncer(waitMs = 100, maxWaitMs = 1000) {
  const time = new FakeTime();
  const batches: number[][] = [];
  const changes = new ChangeDebouncer(waitMs, maxWaitMs, (ids) => batches.push(ids), time, time);
  return { time, batches, changes };
}

it('a burst of changes to one repository is handed over once, waitMs after its last change', async () => {
  const { time, batches, changes } = debouncer();
  for (let i = 0; i < 5; i++) {
    changes.touch(7);
    await time.advance(60);
  }
  assert.deepEqual(batches, [], 'still changing: nothing yet');
  await time.advance(39);
  assert.deepEqual(batches, [], 'a millisecond before the quiet time is over');
  await time.advance(1);
  assert.deepEqual(batches, [[7]]);
  await time.advance(10_000);
  assert.deepEqual(batches, [[7]], 'once');
});

it('a repository that never rests is still handed over maxWaitMs after its first change', async () => {
  const { time, batches, changes } = debouncer(100, 1000);
  for (let i = 0; i < 20; i++) {
    changes.touch(3);
    await time.advance(90);
  }
  assert.equal(batches.length, 1, 'one hand-over in 1800 ms of changes every 90 ms');
  assert.deepEqual(batches[0], [3]);
  await time.advance(100);
  assert.deepEqual(batches, [[3], [3]], 'the changes after the forced hand-over start a new burst');
});

it('repositories that fall due together are handed over as one batch', async () => {
  const { time, batches, changes } = debouncer();
  changes.touch(1);
  changes.touch(2);
  await time.advance(50);
  changes.touch(3);
  await time.advance(50);
  assert.deepEqual(batches, [[1, 2]]);
  await time.advance(50);
  assert.deepEqual(batches, [[1, 2], [3]]);
});

it('cancel forgets a waiting change (a deleted repository); close forgets them all', async () => {
  const { time, batches, changes } = debouncer();
  changes.touch(1);
  changes.touch(2);
  changes.cancel(1);
  await time.advance(100);
  assert.deepEqual(batches, [[2]]);
  changes.touch(4);
  changes.touch(5);
  changes.close();
  await time.advance(10_000);
  assert.deepEqual(batches, [[2]]);
  assert.equal(time.pending, 0, 'no timer left behind');
});
