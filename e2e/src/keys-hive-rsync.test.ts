import assert from 'node:assert/strict';
import { chown, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
        new RegExp(`forced-command \\(key-option\\) 'rrsync -wo ${importRepo.path}'`),
      );
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
