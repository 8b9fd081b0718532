import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chown, lstat, mkdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { borgClient, parseRepoUrl, rsyncWith } from './support/remote-client.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

describe(
  'IMPORT and EXPORT repositories: rrsync through sshd and the real hive',
  { skip: process.getuid?.() !== 0 },
  () => {
    let rig: KeysRig;
    let key: ClientKey;
    let importRepo: CreatedRepository;
    let exportRepo: CreatedRepository;
    const remote = (repo: CreatedRepository, path: string) => {
      const { user, host } = parseRepoUrl(repo.url);
      return `${user}@${host}:${path}`;
    };

    before(async () => {
      rig = await startKeysRig();
      key = await makeClientKey(rig.dir, 'mover');
      const keyId = await rig.api.addSshKey(rig.hive.adminToken, 'mover', key.publicKey);
      importRepo = await rig.createRepository({ name: 'incoming', mode: 'IMPORT', sshKeyIds: [keyId] });
      exportRepo = await rig.createRepository({ name: 'outgoing', sshKeyIds: [keyId] });
      exportRepo = await rig.api.updateRepository(rig.hive.adminToken, exportRepo.id, { mode: 'EXPORT' });
      await mkdir(join(rig.dir, 'upload'));
      await writeFile(join(rig.dir, 'upload/segment.bin'), 'pushed by rsync\n');
      await writeFile(join(exportRepo.path, 'ready.bin'), 'waiting to be pulled\n');
      await chown(join(exportRepo.path, 'ready.bin'), exportRepo.uid, 100);
    });
    after(() => rig?.dispose());

    test('IMPORT: rsync pushes into the repository', async () => {
      const push = await rsyncWith(key, importRepo.url, [
        '-r',
        `${join(rig.dir, 'upload')}/`,
        remote(importRepo, 'borg/'),
      ]);
      assert.equal(push.code, 0, `${push.stderr}\n${await rig.sshd.readLog()}`);
      const pushed = join(importRepo.path, 'borg/segment.bin');
      assert.equal(await readFile(pushed, 'utf8'), 'pushed by rsync\n');
      assert.equal((await stat(pushed)).uid, importRepo.uid);
      assert.match(
        await rig.sshd.readLog(),
        new RegExp(`forced-command \\(key-option\\) 'rrsync -wo -munge ${importRepo.path}'`),
      );
    });

    test('IMPORT: uploaded symlinks arrive dead (munged), FIFOs and devices are not created', async () => {
      const hostile = join(rig.dir, 'hostile');
      await mkdir(hostile);
      await symlink('/dev/zero', join(hostile, 'lock.roster'));
      await symlink('/', join(hostile, 'data'));
      await symlink('/etc/passwd', join(hostile, 'README'));
      await promisify(execFile)('mkfifo', [join(hostile, 'index.7')]);
      await promisify(execFile)('mknod', [join(hostile, 'hints.7'), 'c', '1', '5']); // /dev/zero's numbers
      const push = await rsyncWith(key, importRepo.url, [
        '-a',
        '--devices',
        '--specials',
        `${hostile}/`,
        remote(importRepo, ''),
      ]);
      assert.equal(push.code, 0, `${push.stderr}\n${await rig.sshd.readLog()}`);
      const at = (name: string) => join(importRepo.path, name);
      assert.equal(await readlink(at('lock.roster')), '/rsyncd-munged//dev/zero');
      assert.equal(await readlink(at('data')), '/rsyncd-munged//');
      assert.equal(await readlink(at('README')), '/rsyncd-munged//etc/passwd');
      await assert.rejects(lstat(at('index.7')), { code: 'ENOENT' }, 'no FIFO created (--drop-D)');
      await assert.rejects(lstat(at('hints.7')), { code: 'ENOENT' }, 'no device created (--drop-D)');
      const refreshed = await rig.hive.gql<{ refreshRepository: { isOpen: boolean; usageBytes: number } }>(
        rig.hive.adminToken,
        'mutation($id:ID!){refreshRepository(id:$id){isOpen usageBytes}}',
        { id: importRepo.id },
      );
      assert.equal(refreshed.errors, undefined);
      assert.equal(refreshed.data?.refreshRepository.isOpen, false);
      assert.ok((refreshed.data?.refreshRepository.usageBytes ?? Infinity) < 1024 * 1024);
    });

    test('IMPORT: rsync cannot read the repository and borg cannot run', async () => {
      const pull = await rsyncWith(key, importRepo.url, [
        '-r',
        remote(importRepo, 'borg/'),
        join(rig.dir, 'stolen'),
      ]);
      assert.notEqual(pull.code, 0);
      assert.match(pull.stderr, /rrsync error: reading from write-only server is not allowed/);
      const borg = await borgClient(rig.dir, 'client')(key, ['list', importRepo.url]);
      assert.notEqual(borg.code, 0);
      assert.match(borg.stderr, /rrsync error: SSH_ORIGINAL_COMMAND does not run rsync/);
    });

    test('EXPORT: rsync pulls from the repository and cannot write', async () => {
      const target = join(rig.dir, 'pulled');
      const pull = await rsyncWith(key, exportRepo.url, ['-r', remote(exportRepo, ''), `${target}/`]);
      assert.equal(pull.code, 0, pull.stderr);
      assert.equal(await readFile(join(target, 'ready.bin'), 'utf8'), 'waiting to be pulled\n');
      const push = await rsyncWith(key, exportRepo.url, [
        '-r',
        `${join(rig.dir, 'upload')}/`,
        remote(exportRepo, 'x/'),
      ]);
      assert.notEqual(push.code, 0);
      assert.match(push.stderr, /rrsync error: sending to read-only server is not allowed/);
      await assert.rejects(stat(join(exportRepo.path, 'x')), { code: 'ENOENT' });
    });
  },
);
