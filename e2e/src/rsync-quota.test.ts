import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually } from '@borg-hive/server/testing';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { borgClient, parseRepoUrl, rsyncWith } from './support/remote-client.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

const MiB = 1024 ** 2;
const QUOTA = 10 * MiB;

/**
 * An IMPORT repository (rrsync -wo) has no quota of its own: the hive measures it after each push (the
 * watcher sees the pushed borg repository's README and index.N arrive, and any write in the repository
 * directory: plain files too) and refuses the next login over it, through the machine's real sshd and
 * borg-hive-keys.
 */
describe(
  'IMPORT over its quota: measured after the push, the next rsync refused',
  { skip: process.getuid?.() !== 0 },
  () => {
    let rig: KeysRig;
    let key: ClientKey;
    let repo: CreatedRepository;
    const target = () => {
      const { user, host } = parseRepoUrl(repo.url);
      return `${user}@${host}:./`;
    };
    const view = () => rig.api.usageAndEvents(rig.hive.adminToken, repo.id, 'LOGIN_REFUSED');

    before(async () => {
      rig = await startKeysRig({ env: { BORGHIVE_WATCH: 'true' } });
      key = await makeClientKey(rig.dir, 'importer');
      const keyId = await rig.api.addSshKey(rig.hive.adminToken, 'importer', key.publicKey);
      repo = await rig.createRepository({
        name: 'imported',
        mode: 'IMPORT',
        quotaBytes: QUOTA,
        sshKeyIds: [keyId],
      });
      await rig.hive.monitor!.adoptNew();
      // the repository to import: a borg 1 repository made here, 11 MiB that do not compress
      const borg = borgClient(rig.dir, 'local');
      const old = join(rig.dir, 'old-repo');
      const init = await borg(key, ['init', '--encryption=none', old]);
      assert.equal(init.code, 0, init.stderr);
      await mkdir(join(rig.dir, 'payload'));
      await writeFile(join(rig.dir, 'payload/random.bin'), randomBytes(11 * MiB));
      const create = await borg(key, ['create', '--compression', 'none', `${old}::one`, 'payload']);
      assert.equal(create.code, 0, create.stderr);
    });
    after(() => rig?.dispose());

    test('the push is let in; its usage is measured after it, without a refresh', async () => {
      const push = await rsyncWith(key, repo.url, ['-a', `${join(rig.dir, 'old-repo')}/`, target()]);
      assert.equal(push.code, 0, `${push.stderr}\n${await rig.sshd.readLog()}`);
      assert.ok((await readdir(repo.path)).includes('README'));
      const measured = await eventually('the usage measured after the push', async () => {
        const v = await view();
        return (v.usageBytes ?? 0) >= QUOTA ? v : undefined;
      });
      assert.ok(measured.usageBytes! < 13 * MiB, String(measured.usageBytes));
      assert.equal(measured.health.state, 'FAILED');
      assert.match(measured.health.reason, /^over its quota: /);
    });

    test('the next push is refused with the reason on rsync’s stderr and a LOGIN_REFUSED event', async () => {
      const { usageBytes } = await view();
      await writeFile(join(rig.dir, 'extra.bin'), 'one more file\n');
      const push = await rsyncWith(key, repo.url, [join(rig.dir, 'extra.bin'), target()]);
      assert.notEqual(push.code, 0);
      assert.match(
        push.stderr,
        new RegExp(
          `borg-hive: repository imported is over its quota \\(${usageBytes} of ${QUOTA} bytes used\\): ` +
            'the login is refused until its owner raises the quota or frees space',
        ),
      );
      assert.ok(!(await readdir(repo.path)).includes('extra.bin'), 'nothing written');
      const events = await eventually('a LOGIN_REFUSED event', async () => {
        const v = await view();
        return v.events.length > 0 ? v.events : undefined;
      });
      assert.equal(events.length, 1, JSON.stringify(events));
      assert.ok(
        events[0]!.message.startsWith(
          `ssh login of key ${key.fingerprint} refused: repository over its quota: `,
        ),
      );
    });

    test('with the quota raised the push goes through again', async () => {
      await rig.api.updateRepository(rig.hive.adminToken, repo.id, { quotaBytes: 20 * MiB });
      const push = await rsyncWith(key, repo.url, [join(rig.dir, 'extra.bin'), target()]);
      assert.equal(push.code, 0, push.stderr);
      assert.ok((await readdir(repo.path)).includes('extra.bin'));
    });

    test('files that are no borg repository are measured after the push too, without a refresh', async () => {
      const before = (await view()).usageBytes ?? 0;
      await mkdir(join(rig.dir, 'plain/deep/down'), { recursive: true });
      await writeFile(join(rig.dir, 'plain/deep/down/random.bin'), randomBytes(10 * MiB));
      const push = await rsyncWith(key, repo.url, ['-a', join(rig.dir, 'plain'), target()]);
      assert.equal(push.code, 0, push.stderr);
      const measured = await eventually('the usage measured after a push of plain files', async () => {
        const v = await view();
        return (v.usageBytes ?? 0) >= before + 10 * MiB ? v : undefined;
      });
      assert.ok(measured.usageBytes! >= 20 * MiB, String(measured.usageBytes));
      assert.equal(measured.health.state, 'FAILED', 'over the raised quota again');
    });
  },
);
