import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { eventually } from '../../test-support/eventually.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { createRepository, fetchRepository, watchTypes, type ApiRepository } from './monitor-test-kit.js';

const run = promisify(execFile);
let hive: TestHive;
let work: string;

/** The real borg client against the hive's repo path (local, no ssh). */
async function borg(...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    BORG_BASE_DIR: work,
    BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
  };
  return (await run('borg', args, { env })).stdout;
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'bh-borg-'));
  hive = await startTestHive({ env: { BORGHIVE_WATCH: 'true' } });
});
after(async () => {
  await hive?.dispose();
  await rm(work, { recursive: true, force: true });
});

test('borg init, create and list become CREATED; OPENED, UPDATED, CLOSED; ACCESSED', async () => {
  const alice = await hive.newUser('alice');
  const created = await createRepository(hive, alice.token, 'laptop');
  const get = (): Promise<ApiRepository> => fetchRepository(hive, alice.token, created.id);

  await borg('init', '-e', 'none', created.path);
  const initialized = await eventually('CREATED and a first usage', async () => {
    const repo = await get();
    return watchTypes(repo).includes('CREATED') && repo.usageBytes !== null && !repo.isOpen
      ? repo
      : undefined;
  });
  assert.equal(watchTypes(initialized).filter((t) => t === 'CREATED').length, 1);
  assert.ok(initialized.lastUpdatedAt, 'borg init commits: lastUpdatedAt is set');

  const source = join(work, 'source');
  await run('mkdir', ['-p', source]);
  await writeFile(join(source, 'a.bin'), randomBytes(300_000));
  const mark = Number(initialized.events.at(-1)?.id ?? 0);
  await borg('create', `${created.path}::first`, source);
  const written = await eventually('the write session and new usage', async () => {
    const repo = await get();
    const types = watchTypes(repo, mark);
    return types.includes('CLOSED') && repo.usageBytes !== initialized.usageBytes ? repo : undefined;
  });
  assert.deepEqual(watchTypes(written, mark), ['OPENED', 'UPDATED', 'CLOSED']);
  assert.ok(new Date(written.lastUpdatedAt!) > new Date(initialized.lastUpdatedAt!), 'lastUpdatedAt moved');
  assert.ok(written.usageBytes! > initialized.usageBytes! + 100_000, 'usage grew by the archive');
  assert.equal(written.isOpen, false);

  const mark2 = Number(written.events.at(-1)?.id ?? 0);
  assert.match(await borg('list', created.path), /^first /m);
  const read = await eventually('ACCESSED', async () => {
    const repo = await get();
    return watchTypes(repo, mark2).includes('ACCESSED') ? repo : undefined;
  });
  assert.deepEqual(watchTypes(read, mark2), ['ACCESSED'], 'a read is not a write session');
  assert.equal(read.lastUpdatedAt, written.lastUpdatedAt, 'a read is not an update');
  assert.ok(new Date(read.lastAccessAt!) > new Date(written.lastAccessAt!), 'lastAccessAt moved');
});
