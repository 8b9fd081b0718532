import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, SystemProcessRunner } from './process-runner.js';

const runner = new SystemProcessRunner('/usr/local/bin:/usr/bin:/bin');

test('runs a program with an argument array, no shell, and returns its output and exit code', async () => {
  const r = await runner.run({ program: 'printf', args: ['%s|', 'a b', '$(id)'] });
  assert.equal(r.code, 0);
  assert.equal(r.stdout, 'a b|$(id)|');
});

test('the environment is only what the spec gives plus PATH', async () => {
  const r = await runner.run({ program: 'env', args: [], env: { ONLY: 'this' } });
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['ONLY=this', 'PATH=/usr/local/bin:/usr/bin:/bin']);
});

test('stdin is written and closed; stderr arrives line by line, \\r counts as a line end', async () => {
  const lines: string[] = [];
  const r = await runner.run({
    program: 'sh',
    args: ['-c', 'cat; printf "one\\rtwo\\nthree" >&2; exit 3'],
    stdin: 'in',
    onStderrLine: (l) => lines.push(l),
  });
  assert.equal(r.stdout, 'in');
  assert.equal(r.code, 3);
  assert.deepEqual(lines, ['one', 'two', 'three']);
});

test('a timeout kills the whole process group, children included', async () => {
  const r = await runner.run({
    program: 'sh',
    args: ['-c', 'sleep 30 & echo $!; wait'],
    timeoutMs: 300,
  });
  assert.equal(r.timedOut, true);
  assert.equal(r.code, null);
  const grandchild = Number(r.stdout.trim());
  assert.ok(grandchild > 0);
  // the sleep got the group's SIGTERM too: it is gone (or a zombie reaped by init shortly)
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    try {
      process.kill(grandchild, 0);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false);
});

test('abort cancels; output beyond the limit keeps its tail', async () => {
  const ac = new AbortController();
  const running = runner.start({
    program: 'sh',
    args: ['-c', 'head -c 5000 /dev/zero | tr "\\0" x; echo END; sleep 30'],
    signal: ac.signal,
    maxOutputBytes: 100,
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  ac.abort();
  const r = await running.result;
  assert.equal(r.cancelled, true);
  assert.equal(r.truncated, true);
  assert.ok(r.stdout.length <= 100);
  assert.match(r.stdout, /END\n$/);
});

test('a missing program is a spawn error, not a throw', async () => {
  const r = await runner.run({ program: 'no-such-program-bh', args: [] });
  assert.equal(r.code, null);
  assert.match(r.spawnError ?? '', /ENOENT/);
});

test('LineSplitter keeps a partial line until more arrives', () => {
  const out: string[] = [];
  const s = new LineSplitter((l) => out.push(l));
  s.push('ab');
  s.push('c\nd');
  assert.deepEqual(out, ['abc']);
  s.end();
  assert.deepEqual(out, ['abc', 'd']);
});
