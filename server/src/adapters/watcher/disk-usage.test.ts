import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { link, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { diskUsage } from './disk-usage.js';
import { borg, tempDir } from './watcher-test-kit.js';

const require = createRequire(import.meta.url);
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

test('diskUsage never follows a symlink loop or a link to / (they count as links)', async () => {
  const tree = join(dir, 'links');
  await mkdir(join(tree, 'data', '0'), { recursive: true });
  await writeFile(join(tree, 'data', '0', '1'), Buffer.alloc(5_000));
  await symlink('..', join(tree, 'data', 'loop'));
  await symlink(tree, join(tree, 'data', '0', 'self'));
  await symlink('/', join(tree, 'root'));
  assert.equal(await diskUsage(tree), await duSb(tree));
  await symlink(tree, join(dir, 'linked-repository'));
  assert.equal(await diskUsage(join(dir, 'linked-repository')), await duSb(join(dir, 'linked-repository')));
});

/**
 * Replays the race an rsync upload can win: a directory the walk has listed is replaced by a link
 * (to /, or back to the repository) before the walk enters it. The hook lists nothing outside the
 * repository and nothing twice, so the old walk (readdir by path) shows up as a violation rather than
 * as a walk of the whole filesystem.
 */
test('diskUsage does not enter a directory swapped for a link to / or a loop while it walks', async () => {
  const tree = join(dir, 'swapped');
  for (const name of ['to-root', 'to-loop']) {
    await mkdir(join(tree, name), { recursive: true });
    await writeFile(join(tree, name, 'segment'), Buffer.alloc(1_000));
  }
  const swaps = new Map([
    [join(tree, 'to-root'), '/'],
    [join(tree, 'to-loop'), tree],
  ]);
  const fsp = require('node:fs/promises') as typeof FsPromises;
  const real = { open: fsp.open, readdir: fsp.readdir };
  const listed: string[] = [];
  const violations: string[] = [];
  const swapIfDue = async (path: unknown): Promise<void> => {
    const target = typeof path === 'string' ? swaps.get(path) : undefined;
    if (target === undefined) return;
    swaps.delete(path as string);
    await rm(path as string, { recursive: true });
    await symlink(target, path as string);
  };
  const hooks = {
    open: async (...args: Parameters<typeof fsp.open>) => {
      await swapIfDue(args[0]);
      return real.open(...args);
    },
    readdir: async (...args: Parameters<typeof fsp.readdir>) => {
      await swapIfDue(args[0]);
      const where = await realpath(String(args[0]));
      if (!where.startsWith(tree) || listed.includes(where)) {
        violations.push(where);
        return [];
      }
      listed.push(where);
      return (real.readdir as (...a: typeof args) => ReturnType<typeof fsp.readdir>)(...args);
    },
  };
  Object.assign(fsp, hooks);
  syncBuiltinESMExports();
  let usage: number;
  try {
    usage = await diskUsage(tree);
  } finally {
    Object.assign(fsp, real);
    syncBuiltinESMExports();
  }
  assert.deepEqual(violations, [], 'listed outside the repository or twice');
  assert.deepEqual(listed, [await realpath(tree)], 'only the repository itself was listed');
  assert.ok(usage > 0);
});

test('diskUsage does not cross into another filesystem mounted inside', async (t) => {
  const tree = join(dir, 'mounts');
  const other = join(dir, 'other-fs');
  await mkdir(join(tree, 'mnt'), { recursive: true });
  await mkdir(other);
  const mounted = await promisify(execFile)('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', other]).then(
    () => true,
    () => false,
  );
  if (!mounted) return t.skip('cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)');
  try {
    await writeFile(join(other, 'big'), Buffer.alloc(2_000_000));
    await promisify(execFile)('mount', ['--bind', other, join(tree, 'mnt')]);
    try {
      const expected = Number((await promisify(execFile)('du', ['-sbx', tree])).stdout.split('\t')[0]);
      assert.equal(await diskUsage(tree), expected);
      assert.ok(expected < 100_000, 'du -x leaves the mount out');
    } finally {
      await promisify(execFile)('umount', [join(tree, 'mnt')]);
    }
  } finally {
    await promisify(execFile)('umount', [other]);
  }
});
