import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';
import { repoPathFrom } from './repo-path.js';

const base = mkdtempSync(join(tmpdir(), 'bh-repo-path-'));
after(() => rmSync(base, { recursive: true, force: true }));

const check = (raw: string, isRoot: boolean, cwd = '/srv/hive') => {
  const problems: string[] = [];
  const path = repoPathFrom(raw, cwd, isRoot, problems);
  return { path, problems };
};

it('resolves the repo path to an absolute one; the default ./var/repos keeps working', () => {
  assert.deepEqual(check('var/repos', true), { path: '/srv/hive/var/repos', problems: [] });
  assert.deepEqual(check('../elsewhere/./repos', false), { path: '/srv/elsewhere/repos', problems: [] });
  assert.equal(loadConfig({}, '/srv/hive', true).repoPath, '/srv/hive/var/repos');
});

it('refuses / and system directories, also reached through .. or a link', () => {
  for (const raw of [
    '/',
    '/srv/..',
    '/etc',
    '/etc/borg',
    '/proc/1',
    '/sys',
    '/dev/shm/repos',
    '/usr/local/repos',
    '/bin',
    '/boot/x',
  ]) {
    const { problems } = check(raw, false);
    assert.equal(problems.length, 1, raw);
    assert.match(problems[0] ?? '', /filesystem root|system directory/, raw);
  }
  for (const raw of ['/etcetera', '/srv/etc', '/usrdata/repos', '/var/lib/borg-hive/repos']) {
    assert.deepEqual(check(raw, true).problems, [], raw);
  }
  const link = join(base, 'to-etc');
  symlinkSync('/etc', link);
  assert.match(check(link, false).problems[0] ?? '', /system directory \/etc, got .*to-etc \(\/etc\)/);
});

it('as root, refuses an existing repo path others may write or that root does not own', () => {
  const open = join(base, 'open');
  mkdirSync(open);
  chmodSync(open, 0o775);
  assert.match(
    check(open, true).problems[0] ?? '',
    /mode 0775\) must be owned by root and writable by root only/,
  );
  chmodSync(open, 0o757);
  assert.equal(check(open, true).problems.length, 1);
  chmodSync(open, 0o1777);
  assert.equal(check(open, true).problems.length, 1, 'sticky like /tmp is still writable by all');
  assert.deepEqual(check(open, false).problems, [], 'not root: the hive is no more than its own user');
  chmodSync(open, 0o755);
  assert.deepEqual(check(open, true).problems, []);
  chmodSync(open, 0o711);
  assert.deepEqual(check(open, true).problems, []);
  const file = join(base, 'file');
  writeFileSync(file, '');
  assert.match(check(file, false).problems[0] ?? '', /is not a directory/);
});

it(
  'as root, refuses a repo path owned by another user',
  { skip: process.getuid?.() !== 0 && 'needs root to chown' },
  () => {
    const owned = join(base, 'owned');
    mkdirSync(owned, { mode: 0o755 });
    chownSync(owned, 65534, 65534);
    assert.match(check(owned, true).problems[0] ?? '', /owner uid 65534.*chown root/);
  },
);

it('loadConfig lists a bad BORGHIVE_REPO_PATH with the other problems', () => {
  try {
    loadConfig({ BORGHIVE_REPO_PATH: '/', BORGHIVE_PORT: 'eighty' }, '/srv/hive', false);
    assert.fail('expected ConfigError');
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 2, err.message);
    assert.match(err.message, /BORGHIVE_REPO_PATH must not be the filesystem root/);
  }
});
