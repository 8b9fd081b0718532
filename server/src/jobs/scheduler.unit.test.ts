import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeTime, settle } from '../test-support/fakes/fake-time.js';
import { ManualPromise } from '../test-support/fakes/manual-promise.js';
import { recordingLogger } from '../test-support/fakes/recording-logger.js';
import { Scheduler } from './scheduler.js';

/** A job whose runs end when the test says so (`finish`), counting how many started. */
function manualJob(name: string, everyMs: number, atStart: boolean) {
  const runs: ManualPromise<string>[] = [];
  return {
    runs,
    job: {
      name,
      everyMs,
      atStart,
      run: () => {
        const run = new ManualPromise<string>();
        runs.push(run);
        return run.promise;
      },
    },
  };
}

test('startedUp resolves once every run at start has finished, failed runs included', async () => {
  const time = new FakeTime();
  const scheduler = new Scheduler(recordingLogger().logger, time);
  const slow = manualJob('slow', 60_000, true);
  const failing = manualJob('failing', 60_000, true);
  const later = manualJob('not at start', 60_000, false);
  scheduler.start([slow.job, failing.job, later.job]);
  let started = false;
  void scheduler.startedUp().then(() => (started = true));
  await time.advance(0);
  assert.equal(later.runs.length, 0, 'a job not run at start waits for its interval');
  failing.runs[0]?.reject(new Error('failing failed'));
  await settle();
  assert.equal(started, false, 'the slow one is still running');
  slow.runs[0]?.resolve('done');
  await settle();
  assert.equal(started, true);
  await scheduler.stop();
});

test('runs a job every everyMs; a run never overlaps itself, and a failure waits for the next turn', async () => {
  const time = new FakeTime();
  const { logger, lines } = recordingLogger();
  const scheduler = new Scheduler(logger, time);
  const hourly = manualJob('hourly', 3_600_000, false);
  scheduler.start([hourly.job]);
  await time.advance(3_600_000);
  assert.equal(hourly.runs.length, 1);
  await time.advance(2 * 3_600_000);
  assert.equal(hourly.runs.length, 1, 'still running: the next two turns are skipped');
  hourly.runs[0]?.reject(new Error('database unavailable'));
  await settle();
  assert.equal(lines.find((l) => l.msg === 'job failed; will retry on schedule')?.job, 'hourly');
  await time.advance(3_600_000);
  assert.equal(hourly.runs.length, 2, 'the next turn runs it again');
  hourly.runs[1]?.resolve('ok');
  await scheduler.stop();
  await time.advance(10 * 3_600_000);
  assert.equal(hourly.runs.length, 2, 'nothing runs after stop');
  assert.equal(time.pending, 0);
});

test('stop waits for a run in progress', async () => {
  const time = new FakeTime();
  const scheduler = new Scheduler(recordingLogger().logger, time);
  const job = manualJob('job', 1000, true);
  scheduler.start([job.job]);
  await time.advance(0);
  let stopped = false;
  const stopping = scheduler.stop().then(() => (stopped = true));
  await settle();
  assert.equal(stopped, false);
  job.runs[0]?.resolve('done');
  await stopping;
  assert.equal(stopped, true);
});
