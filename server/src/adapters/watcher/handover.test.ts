import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { after, before, test } from 'node:test';
import { RepositoryWatcher } from './repository-watcher.js';
import { borg, EventLog, settle, silentLogger, tempDir } from './watcher-test-kit.js';

// Back-to-back hand-overs of the lock: a `borg create` and, the moment it exits, a `borg list`, several
// times, while another thread keeps a core busy. Every write session must be OPENED, UPDATED, CLOSED and
// every read one ACCESSED, in that order, with nothing missed or merged.

let root: string;
let base: string;
let watcher: RepositoryWatcher;
let log: EventLog;
let burner: Worker;
const repo = (): string => join(root, 'hand0ver', 'backups');

before(async () => {
  root = await tempDir('handover-root');
  base = await tempDir('handover-borg');
  await writeFile(join(base, 'file.txt'), 'some data to back up\n'.repeat(1000));
  watcher = new RepositoryWatcher({ repoPath: root, logger: silentLogger });
  log = new EventLog(watcher);
  await watcher.start();
  await mkdir(join(root, 'hand0ver'));
  const created = log.next((e) => e.path === repo() && e.type === 'CLOSED');
  await borg(base, 'init', '-e', 'none', repo());
  await created;
  await settle();
  burner = new Worker('const end = Date.now() + 120000; while (Date.now() < end) {}', { eval: true });
});

after(async () => {
  await burner.terminate();
  await watcher.stop();
  await rm(root, { recursive: true, force: true });
  await rm(base, { recursive: true, force: true });
});

test('write then read, back to back under load: OPENED, UPDATED, CLOSED, ACCESSED each time', async () => {
  const rounds = 5;
  const from = log.of(repo()).length;
  for (let i = 0; i < rounds; i++) {
    await borg(base, 'create', `${repo()}::round-${i}`, join(base, 'file.txt'));
    await borg(base, 'list', repo());
  }
  const accessed = () => log.of(repo()).filter((e, k) => k >= from && e.type === 'ACCESSED').length;
  // a missed read fails below with the whole sequence, not with a bare timeout
  while (accessed() < rounds)
    if (!(await log.next((e) => e.path === repo() && e.type === 'ACCESSED').catch(() => null))) break;
  await settle(1500); // longer than the lock fallback: a late or misread event would show now
  const seen = log
    .of(repo())
    .slice(from)
    .map((e) => (e.type === 'OPENED' || e.type === 'ACCESSED' ? `${e.type}:${e.access}` : e.type));
  const expected = Array.from({ length: rounds }, () => [
    'OPENED:write',
    'UPDATED',
    'CLOSED',
    'ACCESSED:read',
  ]).flat();
  assert.deepEqual(seen, expected);
});
