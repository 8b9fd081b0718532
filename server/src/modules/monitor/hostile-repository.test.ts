import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { simulateInit } from '../../adapters/watcher/simulate.js';
import { ADMIN_PASSWORD, startTestHive, type TestHive } from '../../test-support/hive.js';
import {
  linkToZero,
  makeFifo,
  makeSparse,
  readDuring,
  releaseFifo,
  settlesWithin,
} from '../../test-support/hostile-files.js';
import { createRepository, fetchRepository, watchTypes, type ApiRepository } from './monitor-test-kit.js';

/** Far longer than any answer takes; only a hive whose threads are stuck on FIFOs misses it. */
const HANG_MS = 20_000;
/** The hive's own reads meanwhile (SQLite pages, the watcher): far below what /dev/zero would give. */
const FEW_BYTES = 32 * 1024 * 1024;

let hive: TestHive;
let alice: { id: string; token: string };
const fifos: string[] = [];

before(async () => {
  hive = await startTestHive({ env: { BORGHIVE_WATCH: 'true' } });
  alice = await hive.newUser('alice');
});
after(async () => {
  // the old code's blocked threads (and reads queued behind them), else the process never exits
  for (const fifo of fifos) for (let i = 0; i < 50 && (await releaseFifo(fifo)); i++) await settle(20);
  await hive?.dispose();
});

/** A repository of alice's, borg-initialised on disk. */
async function initialized(name: string): Promise<ApiRepository> {
  const repo = await createRepository(hive, alice.token, name);
  await simulateInit(hive.config.repoPath, repo.repoUser, repo.name);
  return repo;
}

const refresh = (id: string) =>
  hive.gql<{ refreshRepository: { isOpen: boolean } }>(
    alice.token,
    'mutation($id:ID!){refreshRepository(id:$id){isOpen}}',
    { id },
  );

test('FIFOs as lock.roster: refreshes, the watcher, logins and the rest of the API keep answering', async () => {
  const repos = await Promise.all(['fifo-a', 'fifo-b'].map(initialized));
  for (const repo of repos) {
    const fifo = join(repo.path, 'lock.roster');
    await makeFifo(fifo);
    fifos.push(fifo);
  }
  // more refreshes than the thread pool has threads (4): each used to block one on open(2) for good
  const refreshes = await settlesWithin(
    HANG_MS,
    'refreshRepository',
    Promise.all(repos.flatMap((repo) => [1, 2, 3].map(() => refresh(repo.id)))),
  );
  for (const answer of refreshes) assert.deepEqual(answer.data, { refreshRepository: { isOpen: false } });
  // argon2 and static files run on the same pool: a login proves it is free
  const token = await settlesWithin(HANG_MS, 'login', hive.login('admin', ADMIN_PASSWORD));
  assert.ok(token);
  const me = await settlesWithin(
    HANG_MS,
    'me',
    hive.gql<{ me: { username: string } }>(token, '{me{username}}'),
  );
  assert.equal(me.data?.me.username, 'admin');
  // and the watcher still reports: a commit in another repository arrives
  const other = await createRepository(hive, alice.token, 'ordinary');
  await simulateInit(hive.config.repoPath, other.repoUser, other.name);
  await settlesWithin(HANG_MS, 'the watcher', waitFor(other.id, 'CREATED'));
  for (const fifo of fifos) assert.equal(await releaseFifo(fifo), false, `${fifo} is not held open`);
});

test('lock.roster linked to /dev/zero or a huge sparse file: nothing is read', async () => {
  const zero = await initialized('zero');
  const sparse = await initialized('sparse');
  const { result, bytes } = await readDuring(async () => {
    await linkToZero(join(zero.path, 'lock.roster'));
    await makeSparse(join(sparse.path, 'lock.roster'), 1024 ** 3);
    return settlesWithin(HANG_MS, 'refreshRepository', Promise.all([refresh(zero.id), refresh(sparse.id)]));
  });
  for (const answer of result) assert.deepEqual(answer.data, { refreshRepository: { isOpen: false } });
  if (bytes !== undefined) assert.ok(bytes < FEW_BYTES, `the hive read ${bytes} bytes`);
});

async function waitFor(id: string, type: string): Promise<void> {
  while (!watchTypes(await fetchRepository(hive, alice.token, id)).includes(type)) await settle(100);
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
