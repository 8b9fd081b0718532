import assert from 'node:assert/strict';
import { mkdir, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { addKey, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const hex = (n: number) => n.toString(16).padStart(64, '0');

interface Refreshed {
  borgVersion: string;
  archiveCount: number | null;
  lastUpdatedAt: string | null;
  isOpen: boolean;
  readOnlySshKeys: { id: string }[];
}

/** refreshRepository recognises a repository's borg by its layout and counts borg 2 archives without the key. */
describe('refresh of a borg 2 layout', () => {
  let hive: TestHive;
  const refresh = async (id: string) =>
    (
      await hive.gql<{ refreshRepository: Refreshed }>(
        hive.adminToken,
        'mutation($id:ID!){refreshRepository(id:$id){borgVersion archiveCount lastUpdatedAt isOpen readOnlySshKeys{id}}}',
        { id },
      )
    ).data?.refreshRepository;

  before(async () => {
    hive = await startTestHive();
  });
  after(() => hive.dispose());

  it('a BORG1 repository found with config/ and archives/ on disk becomes BORG2, with its archive count', async () => {
    const repo = await createRepo(hive, hive.adminToken, { name: 'found' });
    for (const sub of ['config', 'archives', 'locks', 'keys', 'packs/00'])
      await mkdir(join(repo.path, sub), { recursive: true });
    const newest = new Date('2026-11-30T10:00:00Z');
    for (const [n, at] of [
      [1, new Date('2026-11-01T10:00:00Z')],
      [2, newest],
    ] as const) {
      await writeFile(join(repo.path, 'archives', hex(n)), '');
      await utimes(join(repo.path, 'archives', hex(n)), at, at);
    }
    await writeFile(join(repo.path, 'archives', `${hex(3)}.del`), '');
    await writeFile(join(repo.path, 'locks', hex(9)), 'sealed');
    const r = await refresh(repo.id);
    assert.equal(r?.borgVersion, 'BORG2');
    assert.equal(r?.archiveCount, 2, 'a deleted (.del) archive is not counted');
    assert.equal(r?.lastUpdatedAt, newest.toISOString(), 'the last backup is the newest archive');
    assert.equal(r?.isOpen, true, 'a lock object is held');
  });

  it('a BORG2 repository holding a borg 1 layout becomes BORG1, and its read-only keys are dropped', async () => {
    const k = await addKey(hive, hive.adminToken, 'ro');
    const repo = await createRepo(hive, hive.adminToken, {
      name: 'old',
      borgVersion: 'BORG2',
      readOnlySshKeyIds: [k.id],
    });
    await mkdir(repo.path, { recursive: true });
    await writeFile(join(repo.path, 'config.tmp'), '[repository]\nversion = 1\n');
    await rename(join(repo.path, 'config.tmp'), join(repo.path, 'config'));
    const r = await refresh(repo.id);
    assert.equal(r?.borgVersion, 'BORG1');
    assert.deepEqual(
      r?.readOnlySshKeys,
      [],
      'borg 1 cannot enforce read-only: the role is removed, not widened',
    );
  });
});
