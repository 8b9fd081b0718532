import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { link, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { diskUsage } from './disk-usage.js';
import { borg, tempDir } from './watcher-test-kit.js';

const duSb = async (dir: string): Promise<number> =>
  Number((await promisify(execFile)('du', ['-sb', dir])).stdout.split('\t')[0]);

let dir: string;
before(async () => (dir = await tempDir('du')));
after(() => rm(dir, { recursive: true, force: true }));

test('diskUsage equals du -sb on a real borg repository', async () => {
  const repo = join(dir, 'abcd1234', 'repo');
  await mkdir(join(dir, 'abcd1234'));
  await mkdir(join(dir, 'src'));
  await writeFile(join(dir, 'src', 'a.bin'), Buffer.alloc(300_000, 7));
  await writeFile(join(dir, 'src', 'b.txt'), 'hello\n'.repeat(10_000));
  await borg(join(dir, 'base'), 'init', '-e', 'none', repo);
  await borg(join(dir, 'base'), 'create', `${repo}::one`, join(dir, 'src'));
  const expected = await duSb(repo);
  assert.ok(expected > 300_000 / 10, 'the repository holds the archive');
  assert.equal(await diskUsage(repo), expected);
});

test('diskUsage counts hard links once, symlinks as themselves (not followed), like du -sb', async () => {
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'a', 'b', 'c'), { recursive: true });
  await writeFile(join(tree, 'a', 'file'), Buffer.alloc(12_345));
  await link(join(tree, 'a', 'file'), join(tree, 'a', 'b', 'hardlink'));
  await symlink(join(dir, 'src'), join(tree, 'a', 'b', 'c', 'link-to-elsewhere'));
  await writeFile(join(tree, 'a', 'b', 'c', 'empty'), '');
  assert.equal(await diskUsage(tree), await duSb(tree));
  assert.equal(await diskUsage(join(dir, 'does-not-exist')), 0);
});
