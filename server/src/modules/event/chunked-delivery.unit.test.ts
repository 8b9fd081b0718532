import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';
import { pino } from 'pino';
import { ChunkedDelivery } from './chunked-delivery.js';

const inbox = () => {
  const got: string[] = [];
  return { got, push: (value: string) => void got.push(value) };
};

test('a message to many subscribers lets the event loop turn between chunks, and order holds', async () => {
  const delivery = new ChunkedDelivery(pino({ level: 'silent' }));
  const queues = Array.from({ length: 1200 }, inbox);
  const turned = nextTurn(); // queued before the delivery's first pause
  delivery.deliver(queues, 'first', null);
  delivery.deliver(queues, 'second', null);
  await turned;
  const reached = queues.filter((q) => q.got.length > 0).length;
  assert.ok(reached > 0 && reached < 1200, `the loop turned after ${reached} of 1200 subscribers had it`);
  for (let i = 0; i < 10 && queues.some((q) => q.got.length < 2); i++) await nextTurn();
  for (const q of queues) assert.deepEqual(q.got, ['first', 'second']);
});

test('a subscriber that throws does not stop later messages', async () => {
  const delivery = new ChunkedDelivery(pino({ level: 'silent' }));
  const broken = { push: () => assert.fail('broken queue') };
  const good = inbox();
  delivery.deliver([broken, good], 'lost', null);
  delivery.deliver([good], 'next', null);
  for (let i = 0; i < 10 && !good.got.includes('next'); i++) await nextTurn();
  assert.deepEqual(good.got, ['next']);
});
