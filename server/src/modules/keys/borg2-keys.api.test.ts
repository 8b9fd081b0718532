import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addKey, createToken, newPublicKey } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const FIELDS =
  'id repoUser path url borgVersion borgInitCommand sshKeys{id} appendOnlySshKeys{id} readOnlySshKeys{id} writeOnlySshKeys{id}';

interface Repo {
  id: string;
  repoUser: string;
  path: string;
  url: string;
  borgVersion: string;
  borgInitCommand: string;
  readOnlySshKeys: { id: string }[];
  writeOnlySshKeys: { id: string }[];
}

describe('borg 2 repositories: forced commands per version and the four key roles', () => {
  let hive: TestHive;
  let keysToken: string;
  const lines = async (user: string, fingerprint?: string) =>
    (
      await hive.gql<{ authorizedKeys: string[] }>(
        keysToken,
        'query($u:String!,$f:String){authorizedKeys(user:$u,fingerprint:$f)}',
        { u: user, f: fingerprint },
      )
    ).data?.authorizedKeys ?? [];
  const create = (input: Record<string, unknown>) =>
    hive.gql<{ createRepository: Repo }>(
      hive.adminToken,
      `mutation($i:CreateRepositoryInput!){createRepository(input:$i){${FIELDS}}}`,
      { i: input },
    );
  const update = (id: string, input: Record<string, unknown>) =>
    hive.gql<{ updateRepository: Repo }>(
      hive.adminToken,
      `mutation($id:ID!,$i:UpdateRepositoryInput!){updateRepository(id:$id,input:$i){${FIELDS}}}`,
      { id, i: input },
    );

  before(async () => {
    hive = await startTestHive({ env: { BORGHIVE_BORG2_COMMAND: '/opt/borg2/bin/borg2' } });
    keysToken = await createToken(hive, hive.adminToken, 'KEYS_READ');
  });
  after(() => hive.dispose());

  it('prints borg2 serve --rest with one --permissions per role, widest role first', async () => {
    const full = await addKey(hive, hive.adminToken, 'full', newPublicKey('ed25519', 'full@host'));
    const ao = await addKey(hive, hive.adminToken, 'ao', newPublicKey('ed25519', 'ao@host'));
    const ro = await addKey(hive, hive.adminToken, 'ro', newPublicKey('ed25519', 'ro@host'));
    const wo = await addKey(hive, hive.adminToken, 'wo', newPublicKey('ed25519', 'wo@host'));
    const r = await create({
      name: 'two',
      borgVersion: 'BORG2',
      sshKeyIds: [full.id],
      appendOnlySshKeyIds: [ao.id, full.id],
      readOnlySshKeyIds: [ro.id],
      writeOnlySshKeyIds: [wo.id],
    });
    const repo = r.data?.createRepository;
    assert.ok(repo, JSON.stringify(r.errors));
    assert.equal(repo.borgVersion, 'BORG2');
    assert.deepEqual(repo.readOnlySshKeys, [{ id: ro.id }]);
    assert.deepEqual(repo.writeOnlySshKeys, [{ id: wo.id }]);
    // the 2.0.0b25 client reaches `borg2 serve --rest` through an ssh:// URL, as borg 1 does
    assert.match(repo.url, new RegExp(`^ssh://${repo.repoUser}@[^/]+:\\d+/\\./two$`));
    assert.equal(repo.borgInitCommand, `borg2 -r ${repo.url} repo-create --encryption=aes256-ocb`);
    const serve = `/opt/borg2/bin/borg2 serve --rest --umask 007 --restrict-to-repository ${repo.path} --permissions`;
    const out = await lines(repo.repoUser);
    assert.deepEqual(
      out.map((l) => /^command="([^"]+)",restrict ssh-ed25519 \S+ (\S+)$/.exec(l)?.slice(1).join(' | ')),
      [
        `${serve} all | full@host`,
        `${serve} no-delete | ao@host`,
        `${serve} read-only | ro@host`,
        `${serve} write-only | wo@host`,
      ],
    );
    assert.deepEqual(await lines(repo.repoUser, wo.fingerprint), [out[3]]);
  });

  it('defaults to BORG1 and refuses the roles borg 1 cannot enforce, changing nothing', async () => {
    const k = await addKey(hive, hive.adminToken, 'k1');
    const refused = await create({ name: 'one-ro', readOnlySshKeyIds: [k.id] });
    assert.equal(refused.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(JSON.stringify(refused.errors), /borg 1 cannot enforce read-only access/);
    const one = await create({ name: 'one', sshKeyIds: [k.id] });
    const repo = one.data?.createRepository;
    assert.ok(repo, JSON.stringify(one.errors));
    assert.equal(repo.borgVersion, 'BORG1');
    const wo = await update(repo.id, { writeOnlySshKeyIds: [k.id] });
    assert.equal(wo.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(JSON.stringify(wo.errors), /borg 1 cannot enforce write-only access/);
    const out = await lines(repo.repoUser);
    assert.equal(out.length, 1, 'the refused update left the key list as it was');
    assert.match(out[0] ?? '', /^command="borg serve --umask 007 --restrict-to-repository /);
  });

  it('takes a quota on BORG2 without --storage-quota (the hive enforces it at login) and keeps the version on update', async () => {
    const q = await create({ name: 'q2', borgVersion: 'BORG2', quotaBytes: 50 * 1024 * 1024, sshKeyIds: [] });
    assert.equal(q.errors, undefined, JSON.stringify(q.errors));
    const repo = (await create({ name: 'keep', borgVersion: 'BORG2' })).data?.createRepository;
    assert.ok(repo);
    const k = await addKey(hive, hive.adminToken, 'k2');
    const u = await update(repo.id, { readOnlySshKeyIds: [k.id] });
    assert.equal(u.data?.updateRepository.borgVersion, 'BORG2', JSON.stringify(u.errors));
    assert.deepEqual(u.data?.updateRepository.readOnlySshKeys, [{ id: k.id }]);
  });
});
