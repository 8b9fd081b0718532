import assert from 'node:assert/strict';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  linkToZero,
  makeFifo,
  makeZeroDevice,
  noDevices,
  releaseFifo,
  rosterText,
} from '../../test-support/hostile-files.js';
import { RepositoryWatcher } from './repository-watcher.js';
import { EventLog, settle, silentLogger, tempDir } from './watcher-test-kit.js';

let root: string;
const fifos: string[] = [];
const started: RepositoryWatcher[] = [];

before(async () => (root = await tempDir('hostile-watch')));
after(async () => {
  for (const watcher of started) await watcher.stop();
  for (const fifo of fifos) await releaseFifo(fifo);
  await rm(root, { recursive: true, force: true });
});

async function watching(repoPath: string): Promise<{ watcher: RepositoryWatcher; log: EventLog }> {
  const watcher = new RepositoryWatcher({ repoPath, logger: silentLogger });
  const log = new EventLog(watcher);
  started.push(watcher);
  await watcher.start();
  return { watcher, log };
}

test('a repository, user or lock directory that is a link to / is not watched', async () => {
  const repoPath = join(root, 'linked');
  await mkdir(join(repoPath, 'abcd1234', 'backups'), { recursive: true });
  const { watcher, log } = await watching(repoPath);
  const baseline = watcher.watchedCount();
  await symlink('/', join(repoPath, 'abcd1234', 'everything'));
  await symlink('/', join(repoPath, 'wxyz9876'));
  await symlink('/', join(repoPath, 'abcd1234', 'backups', 'lock.exclusive'));
  // a real repository afterwards: when its CREATED arrives, the links have been seen too
  const later = join(repoPath, 'abcd1234', 'later');
  const created = log.next((e) => e.path === later && e.type === 'CREATED');
  await mkdir(later);
  await writeFile(join(later, 'README'), 'This is a Borg Backup repository.\n');
  await created;
  await settle();
  assert.equal(watcher.watchedCount(), baseline + 1, 'only the new real directory is watched');
  const linked = new Set(['everything', 'wxyz9876']);
  assert.deepEqual(
    log.events.filter((e) => linked.has(e.repoName) || linked.has(e.repoUser)),
    [],
  );
});

test('README and index.N that are links, FIFOs or devices, and a linked roster, are not borg activity', async () => {
  const repoPath = join(root, 'entries');
  const repo = join(repoPath, 'abcd1234', 'backups');
  await mkdir(repo, { recursive: true });
  const { log } = await watching(repoPath);
  await writeFile(join(root, 'outside.roster'), rosterText());
  await symlink(join(root, 'outside.roster'), join(repo, 'lock.roster'));
  await symlink('/etc/passwd', join(repo, 'README'));
  await makeFifo(join(repo, 'index.90'));
  fifos.push(join(repo, 'index.90'), join(repo, 'lock.roster'));
  await linkToZero(join(repo, 'index.91'));
  if (!noDevices) await makeZeroDevice(join(repo, 'index.92'));
  await settle();
  // a real commit afterwards: the watcher has seen everything above when its UPDATED arrives
  const updated = log.next((e) => e.path === repo && e.type === 'UPDATED');
  await writeFile(join(repo, 'index.3'), 'index');
  await updated;
  await settle();
  // a commit without a session in sight is reported as one (OPENED, UPDATED, CLOSED); nothing else
  assert.deepEqual(
    log.of(repo).map((e) => e.type),
    ['OPENED', 'UPDATED', 'CLOSED'],
  );
});
