import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { borgClient } from './support/remote-client.js';
import { repoFiles, rollBackTo } from './support/borg-repo-files.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

describe('borg through sshd, borg-hive-keys and the real hive', { skip: process.getuid?.() !== 0 }, () => {
  let rig: KeysRig;
  let admin: string;
  let full: ClientKey;
  let appendOnly: ClientKey;
  let repo: CreatedRepository;
  let quota: CreatedRepository;
  let borg: ReturnType<typeof borgClient>;
  const diagnose = async () => `--- sshd log:\n${await rig.sshd.readLog()}`;

  before(async () => {
    rig = await startKeysRig();
    admin = rig.hive.adminToken;
    borg = borgClient(rig.dir, 'laptop');
    [full, appendOnly] = await Promise.all(['full', 'append'].map((name) => makeClientKey(rig.dir, name)));
    const fullId = await rig.api.addSshKey(admin, 'laptop', full.publicKey);
    const appendId = await rig.api.addSshKey(admin, 'server', appendOnly.publicKey);
    repo = await rig.createRepository({
      name: 'alpha',
      sshKeyIds: [fullId],
      appendOnlySshKeyIds: [appendId],
    });
    quota = await rig.createRepository({ name: 'small', sshKeyIds: [fullId], quotaBytes: 12 * 2 ** 20 });
    await mkdir(join(rig.dir, 'data'));
    await writeFile(join(rig.dir, 'data/one.txt'), 'first backup through the hive\n');
    await writeFile(join(rig.dir, 'data/blob.bin'), randomBytes(200_000));
  });
  after(() => rig?.dispose());

  test('a full-access key runs init, create, list and extract, and the data matches', async () => {
    const init = await borg(full, ['init', '--encryption=none', repo.url]);
    assert.equal(init.code, 0, `${init.stderr}\n${await diagnose()}`);
    const create = await borg(full, ['create', `${repo.url}::one`, 'data']);
    assert.equal(create.code, 0, create.stderr);
    const list = await borg(full, ['list', '--short', repo.url]);
    assert.equal(list.stdout, 'one\n', list.stderr);
    const restore = join(rig.dir, 'restore');
    await mkdir(restore);
    const extract = await borg(full, ['extract', `${repo.url}::one`], restore);
    assert.equal(extract.code, 0, extract.stderr);
    for (const file of ['one.txt', 'blob.bin']) {
      assert.deepEqual(
        await readFile(join(restore, 'data', file)),
        await readFile(join(rig.dir, 'data', file)),
      );
    }
    assert.match(await rig.sshd.readLog(), new RegExp(`Accepted publickey for ${repo.repoUser} `));
  });

  test('an append-only key adds archives, and its delete leaves the data in the repository', async () => {
    await writeFile(join(rig.dir, 'data/two.txt'), 'second backup, by the append-only key\n');
    const create = await borg(appendOnly, ['create', `${repo.url}::two`, 'data']);
    assert.equal(create.code, 0, create.stderr);
    const before = await repoFiles(repo.path);
    assert.match(
      await rig.sshd.readLog(),
      /forced-command \(key-option\) 'borg serve --umask 007 --append-only /,
    );

    const remove = await borg(appendOnly, ['delete', `${repo.url}::two`]);
    assert.equal(remove.code, 0, remove.stderr);
    const compact = await borg(appendOnly, ['compact', repo.url]);
    assert.equal(compact.code, 0, compact.stderr);
    assert.equal(
      (await borg(full, ['list', '--short', repo.url])).stdout,
      'one\n',
      'the delete was recorded',
    );

    // borg's append-only mode: the delete is a new transaction; no segment was removed or rewritten.
    const afterDelete = await repoFiles(repo.path);
    assert.ok(afterDelete.transaction > before.transaction);
    for (const [segment, size] of before.segments)
      assert.equal(afterDelete.segments.get(segment), size, segment);
    assert.match(
      await readFile(join(repo.path, 'transactions'), 'utf8'),
      new RegExp(`transaction ${afterDelete.transaction},`),
    );

    // ...so the operator can roll back to the transaction before the delete, as borg's docs describe,
    // and the full-access key (from a fresh client) finds the archive and its data again.
    await rollBackTo(repo.path, before.transaction);
    const auditor = borgClient(rig.dir, 'auditor');
    const list = await auditor(full, ['list', '--short', repo.url]);
    assert.equal(list.stdout, 'one\ntwo\n', list.stderr);
    const restore = join(rig.dir, 'restore-two');
    await mkdir(restore);
    const extract = await auditor(full, ['extract', `${repo.url}::two`, 'data/two.txt'], restore);
    assert.equal(extract.code, 0, extract.stderr);
    assert.equal(
      await readFile(join(restore, 'data/two.txt'), 'utf8'),
      'second backup, by the append-only key\n',
    );
  });

  test('a repository with a quota refuses a backup that exceeds it', async () => {
    assert.equal((await borg(full, ['init', '--encryption=none', quota.url])).code, 0);
    const small = await borg(full, ['create', `${quota.url}::small`, 'data/one.txt']);
    assert.equal(small.code, 0, small.stderr);
    await writeFile(join(rig.dir, 'big.bin'), randomBytes(16 * 2 ** 20));
    const big = await borg(full, ['create', `${quota.url}::big`, 'big.bin']);
    assert.notEqual(big.code, 0);
    assert.match(big.stderr, /storage quota .* has been exceeded/i);
    assert.equal((await borg(full, ['list', '--short', quota.url])).stdout, 'small\n');
  });
});
