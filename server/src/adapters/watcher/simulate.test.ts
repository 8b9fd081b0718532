import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RepositoryWatcher } from './repository-watcher.js';
import { readRepositoryState } from './repository-state.js';
import { simulateInit, simulateRead, simulateWrite } from './simulate.js';
import { borg, EventLog, settle, silentLogger, tempDir } from './watcher-test-kit.js';

let root: string;
let base: string;
let watcher: RepositoryWatcher;
let log: EventLog;
const real = (): string => join(root, 'borg0001', 'real');
const fake = (): string => join(root, 'sim00001', 'fake');
const sequence = (path: string, from: number): string[] =>
  log
    .of(path)
    .slice(from)
    .map((e) => `${e.type}${e.access ? `:${e.access}` : ''}`);

/** Runs one step on a repository and returns the events it produced once `last` arrived. */
async function step(path: string, last: string, action: () => Promise<unknown>): Promise<string[]> {
  const from = log.of(path).length;
  const done = log.next((e) => e.path === path && e.type === last);
  await action();
  await done;
  await settle(200);
  return sequence(path, from);
}

before(async () => {
  root = await tempDir('sim-root');
  base = await tempDir('sim-borg');
  await writeFile(join(base, 'file.txt'), 'data\n'.repeat(500));
  await mkdir(join(root, 'borg0001'));
  watcher = new RepositoryWatcher({ repoPath: root, logger: silentLogger });
  log = new EventLog(watcher);
  await watcher.start();
});

after(async () => {
  await watcher.stop();
  await rm(root, { recursive: true, force: true });
  await rm(base, { recursive: true, force: true });
});

test('the simulation produces the same events as real borg: init, create, list', async () => {
  const realInit = await step(real(), 'CLOSED', () => borg(base, 'init', '-e', 'none', real()));
  const fakeInit = await step(fake(), 'CLOSED', () => simulateInit(root, 'sim00001', 'fake'));
  assert.deepEqual(fakeInit, realInit);
  assert.deepEqual(realInit, ['CREATED', 'OPENED:write', 'UPDATED', 'CLOSED:write']);

  const realCreate = await step(real(), 'CLOSED', () => borg(base, 'create', `${real()}::a`, base));
  const fakeCreate = await step(fake(), 'CLOSED', () => simulateWrite(fake()));
  assert.deepEqual(fakeCreate, realCreate);
  assert.deepEqual(realCreate, ['OPENED:write', 'UPDATED', 'CLOSED:write']);

  const realList = await step(real(), 'ACCESSED', () => borg(base, 'list', real()));
  const fakeList = await step(fake(), 'ACCESSED', () => simulateRead(fake()));
  assert.deepEqual(fakeList, realList);
  assert.deepEqual(realList, ['ACCESSED:read']);
});

test('the simulation leaves the same kind of state as borg', async () => {
  const [realState, fakeState] = await Promise.all([
    readRepositoryState(real()),
    readRepositoryState(fake()),
  ]);
  const shape = (s: typeof realState): unknown => ({
    ...s,
    lastUpdatedAt: !!s.lastUpdatedAt,
    lastAccessAt: !!s.lastAccessAt,
  });
  assert.deepEqual(shape(fakeState), shape(realState));
  assert.deepEqual(shape(realState), {
    exists: true,
    initialized: true,
    isOpen: false,
    lastUpdatedAt: true,
    lastAccessAt: true,
  });
});

test('concurrent simulated readers give one ACCESSED each and never OPENED', async () => {
  const from = log.of(fake()).length;
  await Promise.all([simulateRead(fake(), { holdMs: 30 }), simulateRead(fake(), { holdMs: 10 })]);
  await settle();
  assert.deepEqual(sequence(fake(), from), ['ACCESSED:read', 'ACCESSED:read']);
});
