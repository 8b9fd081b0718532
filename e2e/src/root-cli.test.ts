import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { repoRoot } from './support/paths.js';

const run = promisify(execFile);

test('the README’s `npx borg-hive ...` works from the repository root', async () => {
  const { stdout } = await run('npx', ['borg-hive', '--help'], { cwd: repoRoot });
  assert.match(stdout, /^usage: borg-hive <command>/);
  assert.match(stdout, /user create <name>/);
});
