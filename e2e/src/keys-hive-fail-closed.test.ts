import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDelayProxy, type DelayProxy } from './support/delay-proxy.js';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { sshWith } from './support/remote-client.js';
import { run, type RunResult } from './support/run.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

describe(
  'borg-hive-keys fails closed against the real hive, and sshd refuses',
  { skip: process.getuid?.() !== 0 },
  () => {
    let rig: KeysRig;
    let key: ClientKey;
    let repo: CreatedRepository;
    let proxy: DelayProxy | undefined;

    before(async () => {
      rig = await startKeysRig();
      key = await makeClientKey(rig.dir, 'backup');
      const keyId = await rig.api.addSshKey(rig.hive.adminToken, 'backup', key.publicKey);
      repo = await rig.createRepository({ name: 'main', sshKeyIds: [keyId] });
    });
    after(async () => {
      await proxy?.close();
      await rig?.dispose();
    });

    /** The installed client exactly as sshd runs it: as nobody, empty environment, --user %u --fingerprint %f. */
    const lookup = (): Promise<RunResult> =>
      run(
        'setpriv',
        [
          '--reuid=nobody',
          '--regid=nogroup',
          '--clear-groups',
          '--',
          ...rig.client.command.split(' '),
          '--user',
          repo.repoUser,
          '--fingerprint',
          key.fingerprint,
        ],
        { env: {} },
      );

    async function assertClosed(why: RegExp): Promise<void> {
      const result = await lookup();
      assert.equal(result.stdout, '', 'no key line');
      assert.equal(result.code, 1);
      assert.match(result.stderr, why);
      assert.ok(result.ms < 2500, `gave up after ${Math.round(result.ms)} ms (budget 2 s, limit 2.5 s)`);
      const login = await sshWith(key, repo.url, 'true');
      assert.equal(login.code, 255, login.stderr);
      assert.match(login.stderr, /Permission denied \(publickey\)/);
    }

    test('with its KEYS_READ token the same set-up prints the key and the login works', async () => {
      const result = await lookup();
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.split('\n').length, 2);
      assert.match(
        result.stdout,
        /^command="borg serve --umask 007 --restrict-to-repository \S+\/main",restrict ssh-ed25519 /,
      );
      const login = await sshWith(key, repo.url, 'true');
      assert.equal(login.code, 0, login.stderr);
    });

    test('a wrong token', async () => {
      await rig.setKeysEnv(rig.hive.url, `${rig.keysToken.slice(0, -4)}AAAA`);
      await assertClosed(/API (error UNAUTHENTICATED|answered HTTP 401)/);
    });

    test("an admin's READ_ONLY token", async () => {
      const token = await rig.api.createApiToken(rig.hive.adminToken, 'dashboard', 'READ_ONLY');
      await rig.setKeysEnv(rig.hive.url, token);
      await assertClosed(/API error FORBIDDEN/);
    });

    test("a non-admin's token", async () => {
      const carol = await rig.hive.newUser('carol');
      const token = await rig.api.createApiToken(carol.token, 'carol full', 'FULL');
      await rig.setKeysEnv(rig.hive.url, token);
      await assertClosed(/API error FORBIDDEN/);
    });

    test('an API that answers after 3 s', async () => {
      proxy = await startDelayProxy(Number(new URL(rig.hive.url).port), 3000);
      await rig.setKeysEnv(proxy.url, rig.keysToken);
      await assertClosed(/did not answer in time|budget exceeded/);
    });

    test('the API down (hive stopped)', async () => {
      await rig.setKeysEnv(rig.hive.url, rig.keysToken);
      await rig.hive.stop();
      await assertClosed(/API unreachable: ECONNREFUSED/);
    });
  },
);
