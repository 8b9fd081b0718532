import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addKey, createRepo, createToken, newPublicKey } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

describe('authorizedKeys', () => {
  let hive: TestHive;
  let keysToken: string;
  const lines = async (user: string, fingerprint?: string) =>
    (
      await hive.gql<{ authorizedKeys: string[] }>(
        keysToken,
        'query($u:String!,$f:String){authorizedKeys(user:$u,fingerprint:$f)}',
        { u: user, f: fingerprint },
      )
    ).data?.authorizedKeys;

  before(async () => {
    hive = await startTestHive();
    keysToken = await createToken(hive, hive.adminToken, 'KEYS_READ');
  });
  after(() => hive.dispose());

  it('prints full-access lines first, append-only after, one line for a key in both sets', async () => {
    const fullPub = newPublicKey('ed25519', 'full@laptop');
    const full = await addKey(hive, hive.adminToken, 'full', fullPub);
    const ao = await addKey(hive, hive.adminToken, 'ao', newPublicKey('ecdsa', 'ao@phone'));
    const both = await addKey(hive, hive.adminToken, 'both', newPublicKey('rsa', 'bad"comment'));
    const repo = await createRepo(hive, hive.adminToken, {
      name: 'r1',
      sshKeyIds: [full.id, both.id],
      appendOnlySshKeyIds: [ao.id, both.id],
      quotaBytes: 50 * 1024 * 1024,
    });
    const out = (await lines(repo.repoUser)) ?? [];
    assert.equal(out.length, 3);
    const [type, blob] = fullPub.split(' ');
    assert.equal(
      out[0],
      `command="borg serve --umask 007 --storage-quota 52428800 --restrict-to-repository ${repo.path}",restrict ${type} ${blob} full@laptop`,
    );
    assert.match(
      out[1] ?? '',
      /^command="borg serve --umask 007 --storage-quota 52428800 --restrict-to-repository [^"]+",restrict ssh-rsa \S+$/,
      'unsafe comment left out',
    );
    assert.match(
      out[2] ?? '',
      /^command="borg serve --umask 007 --append-only --storage-quota 52428800 --restrict-to-repository [^"]+",restrict ecdsa-sha2-nistp256 \S+ ao@phone$/,
    );
    assert.deepEqual(
      await lines(repo.repoUser, ao.fingerprint),
      [out[2]],
      'the fingerprint selects the offered key',
    );
    assert.deepEqual(await lines(repo.repoUser, 'SHA256:' + 'A'.repeat(43)), []);
  });

  it('uses rrsync for IMPORT and EXPORT modes, and nothing for unknown or malformed users', async () => {
    const k = await addKey(hive, hive.adminToken, 'sync');
    const imp = await createRepo(hive, hive.adminToken, {
      name: 'imp',
      mode: 'IMPORT',
      sshKeyIds: [k.id],
      appendOnlySshKeyIds: [k.id],
    });
    const exp = await createRepo(hive, hive.adminToken, { name: 'exp', mode: 'EXPORT', sshKeyIds: [k.id] });
    assert.match(
      (await lines(imp.repoUser))?.join('\n') ?? '',
      new RegExp(`^command="rrsync -wo -munge ${imp.path}",restrict ssh-ed25519 \\S+ test@host$`),
    );
    assert.match(
      (await lines(exp.repoUser))?.join('\n') ?? '',
      new RegExp(`^command="rrsync -ro ${exp.path}",restrict `),
    );
    assert.deepEqual(await lines('zzzzzzzz'), []);
    for (const bad of ['', '../etc', 'ROOTROOT', 'a b', 'x'.repeat(200)])
      assert.deepEqual(await lines(bad), [], bad);
  });

  it('records when an offered key was last used, off the lookup path', async () => {
    const k = await addKey(hive, hive.adminToken, 'used');
    const repo = await createRepo(hive, hive.adminToken, { name: 'used', sshKeyIds: [k.id] });
    await lines(repo.repoUser, k.fingerprint);
    await hive.services.authorizedKeys.flushUse();
    const r = await hive.gql<{ sshKeys: { name: string; lastUsedAt: string | null }[] }>(
      hive.adminToken,
      '{sshKeys{name lastUsedAt}}',
    );
    assert.ok(r.data?.sshKeys.find((x) => x.name === 'used')?.lastUsedAt);
  });
});
