import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MemoryTextFile } from '../../test-support/fakes/memory-text-file.js';
import type { WatchReport } from './event-sink.js';
import { Outbox } from './outbox.js';

const report = (repoName: string, minute: number): WatchReport => ({
  repoUser: 'u1234567',
  repoName,
  type: 'UPDATED',
  at: new Date(Date.UTC(2026, 0, 1, 0, minute)),
});

it('keeps reports in order in its file, and a new outbox over the file has them back', async () => {
  const file = new MemoryTextFile();
  const outbox = new Outbox(file);
  await outbox.add([report('a', 1), report('b', 2)]);
  await outbox.add([report('c', 3)]);
  await outbox.remove(1);
  const again = new Outbox(file);
  assert.equal(await again.load(), 2);
  assert.deepEqual(again.peek(10), [report('b', 2), report('c', 3)]);
});

it('skips a line a crash cut short, and loads nothing from a missing file', async () => {
  const lines = [report('a', 1), report('b', 2)].map((r) => JSON.stringify(r));
  const file = new MemoryTextFile(`${lines[0]}\n${lines[1]?.slice(0, 20)}`);
  const outbox = new Outbox(file);
  assert.equal(await outbox.load(), 1);
  assert.deepEqual(outbox.peek(10), [report('a', 1)]);
  assert.equal(await new Outbox(new MemoryTextFile()).load(), 0);
});

it('drops the reports at the given positions and keeps the order of the rest', async () => {
  const file = new MemoryTextFile();
  const outbox = new Outbox(file);
  await outbox.add(['a', 'b', 'c', 'd'].map((name, i) => report(name, i)));
  await outbox.drop(new Set([0, 2]));
  assert.deepEqual(
    outbox.peek(10).map((r) => r.repoName),
    ['b', 'd'],
  );
  const again = new Outbox(file);
  await again.load();
  assert.deepEqual(
    again.peek(10).map((r) => r.repoName),
    ['b', 'd'],
    'the file was rewritten',
  );
});

it('without a file it keeps the reports in memory only', async () => {
  const outbox = new Outbox(null);
  assert.equal(await outbox.load(), 0);
  await outbox.add([report('a', 1)]);
  assert.equal(outbox.size, 1);
});
