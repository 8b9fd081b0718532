import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { borgClient, sshWith } from './support/remote-client.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

describe(
  'which key opens which repository (real hive, sshd, borg)',
  { skip: process.getuid?.() !== 0 },
  () => {
    let rig: KeysRig;
    let admin: string;
    let keyA: ClientKey;
    let keyB: ClientKey;
    let loose: ClientKey;
    let keyAId: string;
    let repoA: CreatedRepository;
    let repoB: CreatedRepository;
    let borg: ReturnType<typeof borgClient>;

    before(async () => {
      rig = await startKeysRig();
      admin = rig.hive.adminToken;
      borg = borgClient(rig.dir, 'client');
      [keyA, keyB, loose] = await Promise.all(
        ['a', 'b', 'loose'].map((name) => makeClientKey(rig.dir, name)),
      );
      keyAId = await rig.api.addSshKey(admin, 'key a', keyA.publicKey);
      const keyBId = await rig.api.addSshKey(admin, 'key b', keyB.publicKey);
      await rig.api.addSshKey(admin, 'on no repository', loose.publicKey);
      repoA = await rig.createRepository({ name: 'alpha', sshKeyIds: [keyAId] });
      repoB = await rig.createRepository({ name: 'beta', sshKeyIds: [keyBId] });
      const init = await borg(keyB, ['init', '--encryption=none', repoB.url]);
      assert.equal(init.code, 0, init.stderr);
    });
    after(() => rig?.dispose());

    const refusedLogin = (result: { code: number | null; stderr: string }) => {
      assert.equal(result.code, 255, result.stderr);
      assert.match(result.stderr, /Permission denied \(publickey\)/);
    };

    test("a key of repository A cannot open repository B's user", async () => {
      refusedLogin(await sshWith(keyA, repoB.url, 'borg serve'));
      const list = await borg(keyA, ['list', repoB.url]);
      assert.notEqual(list.code, 0);
      assert.doesNotMatch(
        await rig.sshd.readLog(),
        new RegExp(`Accepted publickey for ${repoB.repoUser} .*${esc(keyA.fingerprint)}`),
      );
    });

    test('a key of repository A reaches no path outside A, not even under its own repo user', async () => {
      const base = repoA.url.replace(/\/\.\/alpha$/, '');
      const elsewhere = [
        `${base}/./other`,
        `${base}/./alpha/../beta`,
        `${base}${repoB.path}`,
        `${base}/etc`,
        `${base}/./`,
      ];
      for (const url of elsewhere) {
        const init = await borg(keyA, ['init', '--encryption=none', url]);
        assert.notEqual(init.code, 0, url);
        assert.match(init.stderr, /not allowed|PathNotAllowed/, `${url}: ${init.stderr}`);
      }
      const init = await borg(keyA, ['init', '--encryption=none', repoA.url]);
      assert.equal(init.code, 0, init.stderr);
      const log = await rig.sshd.readLog();
      assert.match(
        log,
        new RegExp(
          `forced-command \\(key-option\\) 'borg serve --umask 007 --restrict-to-repository ${esc(repoA.path)}'`,
        ),
      );
    });

    test('a key assigned to no repository is refused', async () => {
      refusedLogin(await sshWith(loose, repoA.url, 'true'));
      refusedLogin(await sshWith(loose, repoB.url, 'true'));
    });

    test('a key added to a repository opens it; deleting the key through the API refuses its next login', async () => {
      const extra = await makeClientKey(rig.dir, 'extra');
      const extraId = await rig.api.addSshKey(admin, 'extra', extra.publicKey);
      refusedLogin(await sshWith(extra, repoA.url, 'true'));
      await rig.api.updateRepository(admin, repoA.id, { sshKeyIds: [keyAId, extraId] });
      const list = await borg(extra, ['list', repoA.url]);
      assert.equal(list.code, 0, list.stderr);
      await rig.api.deleteSshKey(admin, extraId);
      refusedLogin(await sshWith(extra, repoA.url, 'true'));
      assert.equal((await borg(keyA, ['list', repoA.url])).code, 0, 'the other key still works');
    });
  },
);

function esc(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
