import assert from 'node:assert/strict';
import { it } from 'node:test';
import { systemCommandRunner } from './run-command.js';

it('runs a program with arguments as given (no shell) and a minimal environment', async () => {
  const r = await systemCommandRunner.run('/bin/echo', ['$HOME', '; id', '`x`'], 10_000);
  assert.deepEqual([r.code, r.stdout, r.timedOut], [0, '$HOME ; id `x`\n', false]);
  const env = await systemCommandRunner.run('/usr/bin/env', [], 10_000);
  assert.deepEqual(env.stdout.trim().split('\n').sort(), [
    'HOME=/nonexistent',
    'LANG=C.UTF-8',
    'PATH=/usr/local/bin:/usr/bin:/bin',
  ]);
});

it('reports the exit status and stderr of a failing program', async () => {
  const r = await systemCommandRunner.run('/bin/sh', ['-c', 'echo oops >&2; exit 3'], 10_000);
  assert.deepEqual([r.code, r.stderr, r.timedOut], [3, 'oops\n', false]);
});

it('kills a program that outlives its budget', async () => {
  const r = await systemCommandRunner.run('/bin/sleep', ['30'], 200);
  assert.deepEqual([r.code, r.timedOut], [null, true]);
});

it('rejects when the program does not exist', async () => {
  await assert.rejects(systemCommandRunner.run('/nonexistent/apprise', [], 1000), { code: 'ENOENT' });
});
