import assert from 'node:assert/strict';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RepositoryWatcher } from './repository-watcher.js';
import { readRepositoryState } from './repository-state.js';
import { borg, EventLog, settle, silentLogger, tempDir } from './watcher-test-kit.js';

let root: string;
let base: string;
let watcher: RepositoryWatcher;
let log: EventLog;
let baseline: number;
const repo = (): string => join(root, 'abcd1234', 'backups');
const types = (from: number): string[] =>
  log
    .of(repo())
    .slice(from)
    .map((e) => e.type);

before(async () => {
  root = await tempDir('watch-root');
  base = await tempDir('watch-borg');
  await writeFile(join(base, 'file.txt'), 'some data to back up\n'.repeat(1000));
  watcher = new RepositoryWatcher({ repoPath: root, logger: silentLogger });
  log = new EventLog(watcher);
  await watcher.start();
  baseline = watcher.watchedCount();
});

after(async () => {
  await watcher.stop();
  await rm(root, { recursive: true, force: true });
  await rm(base, { recursive: true, force: true });
});

test('borg init gives CREATED first (then its own first write session)', async () => {
  await mkdir(join(root, 'abcd1234'));
  const closed = log.next((e) => e.path === repo() && e.type === 'CLOSED');
  await borg(base, 'init', '-e', 'none', repo());
  await closed;
  assert.deepEqual(types(0), ['CREATED', 'OPENED', 'UPDATED', 'CLOSED']);
  // user dir + repository dir: data/ and its segment directories are not watched
  assert.equal(watcher.watchedCount(), baseline + 2);
});

test('borg create gives OPENED, UPDATED, CLOSED in order, all for the repository', async () => {
  const from = log.of(repo()).length;
  const closed = log.next((e) => e.path === repo() && e.type === 'CLOSED');
  await borg(base, 'create', `${repo()}::first`, join(base, 'file.txt'));
  await closed;
  assert.deepEqual(types(from), ['OPENED', 'UPDATED', 'CLOSED']);
  const [opened, updated] = log.of(repo()).slice(from);
  assert.equal(opened?.access, 'write');
  assert.equal(opened?.repoUser, 'abcd1234');
  assert.equal(opened?.repoName, 'backups');
  const index = (await readdir(repo())).find((name) => /^index\.\d+$/.test(name)) ?? 'index.?';
  assert.deepEqual(updated?.at, (await stat(join(repo(), index))).mtime);
  assert.equal(watcher.watchedCount(), baseline + 2);
});

test('borg list gives one ACCESSED (read) and no OPENED or UPDATED', async () => {
  const from = log.of(repo()).length;
  const accessed = log.next((e) => e.path === repo() && e.type === 'ACCESSED');
  const listing = await borg(base, 'list', repo());
  assert.match(listing, /^first /);
  assert.equal((await accessed).access, 'read');
  await settle();
  assert.deepEqual(types(from), ['ACCESSED']);
});

test('readRepositoryState matches what borg left, open and closed', async () => {
  const closedState = await readRepositoryState(repo());
  const names = await readdir(repo());
  const index = names.find((name) => /^index\.\d+$/.test(name)) ?? 'index.?';
  assert.deepEqual(closedState, {
    exists: true,
    initialized: true,
    isOpen: false,
    lastUpdatedAt: (await stat(join(repo(), index))).mtime,
    lastAccessAt: (await stat(repo())).mtime,
  });
  const opened = log.next((e) => e.path === repo() && e.type === 'OPENED');
  const holding = borg(base, 'with-lock', repo(), 'sleep', '1');
  await opened;
  assert.equal((await readRepositoryState(repo())).isOpen, true);
  const closed = log.next((e) => e.path === repo() && e.type === 'CLOSED');
  await holding;
  await closed;
  assert.equal((await readRepositoryState(repo())).isOpen, false);
  const absent = await readRepositoryState(join(root, 'abcd1234', 'missing'));
  assert.deepEqual(absent, {
    exists: false,
    initialized: false,
    isOpen: false,
    lastUpdatedAt: null,
    lastAccessAt: null,
  });
});

test('stray files and unknown directories cause no crash and no events', async () => {
  const from = log.events.length;
  await writeFile(join(root, 'stray.txt'), 'x');
  await mkdir(join(root, 'Not-A-User', 'x'), { recursive: true });
  await writeFile(join(root, 'abcd1234', 'stray file'), 'x');
  await mkdir(join(root, 'abcd1234', 'unknown dir with spaces'));
  await mkdir(join(repo(), 'unknown'));
  await writeFile(join(repo(), 'whatever.txt'), 'x');
  await writeFile(join(root, 'zzzz9999'), 'a file where a user dir would be');
  await settle();
  assert.deepEqual(log.events.slice(from), []);
  const closed = log.next((e) => e.path === repo() && e.type === 'CLOSED');
  await borg(base, 'create', `${repo()}::second`, join(base, 'file.txt'));
  await closed;
  assert.deepEqual(
    log.events.slice(from).map((e) => e.type),
    ['OPENED', 'UPDATED', 'CLOSED'],
  );
});

test('removing the repository gives DELETED', async () => {
  const deleted = log.next((e) => e.path === repo() && e.type === 'DELETED');
  await rm(repo(), { recursive: true });
  assert.equal((await deleted).repoName, 'backups');
});
