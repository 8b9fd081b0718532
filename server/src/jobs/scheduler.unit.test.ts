import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { Scheduler } from './scheduler.js';

test('startedUp resolves once every run at start has finished, failed runs included', async () => {
  const scheduler = new Scheduler(pino({ level: 'silent' }));
  const done: string[] = [];
  const later =
    (name: string, fail = false) =>
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done.push(name);
      if (fail) throw new Error(`${name} failed`);
    };
  scheduler.start([
    { name: 'slow', everyMs: 60_000, atStart: true, run: later('slow') },
    { name: 'failing', everyMs: 60_000, atStart: true, run: later('failing', true) },
    { name: 'not at start', everyMs: 60_000, atStart: false, run: later('not at start') },
  ]);
  await scheduler.startedUp();
  assert.deepEqual(done.sort(), ['failing', 'slow']);
  await scheduler.stop();
});
