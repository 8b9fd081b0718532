import assert from 'node:assert/strict';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  linkToZero,
  makeFifo,
  makeSparse,
  makeZeroDevice,
  noDevices,
  readDuring,
  releaseFifo,
  rosterText,
  settlesWithin,
} from '../../test-support/hostile-files.js';
import { MAX_ROSTER_BYTES, readLockRoster } from './lock-roster.js';
import { readRepositoryState } from './repository-state.js';
import { tempDir } from './watcher-test-kit.js';

/** Far more than any of these reads needs; a read that blocks never settles. */
const HANG_MS = 20_000;
/** The test process's own reads meanwhile (none of these touch a file of this size). */
const FEW_BYTES = 4 * 1024 * 1024;

let root: string;
let counter = 0;
const fifos: string[] = [];

before(async () => (root = await tempDir('hostile')));
after(async () => {
  for (const fifo of fifos) await releaseFifo(fifo); // give back a thread the old code blocked
  await rm(root, { recursive: true, force: true });
});

/** A repository directory as borg leaves it after init, with `lock` = a write session's lock dir. */
async function repository(options: { lock?: boolean } = {}): Promise<string> {
  const dir = join(root, 'abcd1234', `repo${++counter}`);
  await mkdir(join(dir, 'data', '0'), { recursive: true });
  await writeFile(join(dir, 'README'), 'This is a Borg Backup repository.\n');
  await writeFile(join(dir, 'config'), '[repository]\nversion = 1\n');
  if (options.lock) await mkdir(join(dir, 'lock.exclusive'));
  return dir;
}

describe('lock.roster is not a regular file of borg size', () => {
  test('a FIFO does not block: the roster and state reads return at once, no thread left waiting', async () => {
    const dir = await repository({ lock: true });
    const fifo = join(dir, 'lock.roster');
    await makeFifo(fifo);
    fifos.push(fifo);
    assert.equal(await settlesWithin(HANG_MS, 'readLockRoster', readLockRoster(dir)), 'unreadable');
    const state = await settlesWithin(HANG_MS, 'readRepositoryState', readRepositoryState(dir));
    assert.deepEqual({ exists: state.exists, isOpen: state.isOpen }, { exists: true, isOpen: false });
    assert.equal(await releaseFifo(fifo), false, 'no reader holds the FIFO open');
  });

  test('a link to /dev/zero is not followed: nothing is read', async () => {
    const dir = await repository({ lock: true });
    await linkToZero(join(dir, 'lock.roster'));
    const { result, bytes } = await readDuring(() => readLockRoster(dir));
    assert.equal(result, 'unreadable');
    if (bytes !== undefined) assert.ok(bytes < FEW_BYTES, `read ${bytes} bytes`);
    assert.equal((await readRepositoryState(dir)).isOpen, false);
  });

  test('a /dev/zero device node is closed unread', { skip: noDevices }, async () => {
    const dir = await repository({ lock: true });
    await makeZeroDevice(join(dir, 'lock.roster'));
    const { result, bytes } = await readDuring(() => readRepositoryState(dir));
    assert.equal(result.isOpen, false);
    if (bytes !== undefined) assert.ok(bytes < FEW_BYTES, `read ${bytes} bytes`);
  });

  test('a link to a roster outside the repository is not followed: no write session is made up', async () => {
    const dir = await repository({ lock: true });
    const outside = join(root, 'elsewhere.roster');
    await writeFile(outside, rosterText());
    await symlink(outside, join(dir, 'lock.roster'));
    assert.equal(await readLockRoster(dir), 'unreadable');
    assert.equal((await readRepositoryState(dir)).isOpen, false);
  });

  test('a roster above the 64 KiB cap is refused unread, a huge sparse one too', async () => {
    const dir = await repository({ lock: true });
    await writeFile(join(dir, 'lock.roster'), rosterText(MAX_ROSTER_BYTES + 1));
    assert.equal(await readLockRoster(dir), 'unreadable');
    assert.equal((await readRepositoryState(dir)).isOpen, false, 'a padded roster is not believed');
    await writeFile(join(dir, 'lock.roster'), rosterText(MAX_ROSTER_BYTES));
    assert.equal((await readRepositoryState(dir)).isOpen, true, 'at the cap it is still read');
    await rm(join(dir, 'lock.roster'));
    await makeSparse(join(dir, 'lock.roster'), 1024 ** 3);
    const { result, bytes } = await readDuring(() => readLockRoster(dir));
    assert.equal(result, 'unreadable');
    if (bytes !== undefined) assert.ok(bytes < FEW_BYTES, `read ${bytes} bytes of a 1 GiB sparse file`);
  });
});

describe('index.N, config and the repository directory are not followed either', () => {
  test('an index.N that is a FIFO, a device or a link does not count as a commit', async () => {
    const dir = await repository();
    await makeFifo(join(dir, 'index.7'));
    await symlink(join(root, 'elsewhere.roster'), join(dir, 'index.8'));
    await linkToZero(join(dir, 'index.9'));
    if (!noDevices) await makeZeroDevice(join(dir, 'index.10'));
    assert.equal((await readRepositoryState(dir)).lastUpdatedAt, null);
    await writeFile(join(dir, 'index.3'), 'index');
    assert.ok((await readRepositoryState(dir)).lastUpdatedAt, 'a regular index.N does');
  });

  test('a config that is a link is not an initialized repository', async () => {
    const dir = join(root, 'abcd1234', 'linked-config');
    await mkdir(dir, { recursive: true });
    await writeFile(join(root, 'outside-config'), '[repository]\n');
    await symlink(join(root, 'outside-config'), join(dir, 'config'));
    const state = await readRepositoryState(dir);
    assert.deepEqual(
      { exists: state.exists, initialized: state.initialized },
      { exists: true, initialized: false },
    );
  });

  test('a repository directory that is a link (to a repository elsewhere, to /) is absent', async () => {
    const real = await repository({ lock: true });
    await writeFile(join(real, 'lock.roster'), rosterText());
    await writeFile(join(real, 'index.4'), 'index');
    assert.equal((await readRepositoryState(real)).isOpen, true);
    await symlink(real, join(root, 'abcd1234', 'linked-repo'));
    await symlink('/', join(root, 'abcd1234', 'linked-root'));
    for (const name of ['linked-repo', 'linked-root']) {
      const state = await readRepositoryState(join(root, 'abcd1234', name));
      assert.deepEqual(state, {
        exists: false,
        initialized: false,
        isOpen: false,
        lastUpdatedAt: null,
        lastAccessAt: null,
      });
    }
  });
});
