import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { addKey, codeOf, createRepo, newPublicKey } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { Repository } from '../repository/index.js';
import { SshKey } from '../ssh-key/index.js';
import { addRunKey, removeRunKey } from './run-key.js';

const SET_LIMITS =
  'mutation($u:ID!,$i:UserLimitsInput!){setUserLimits(userId:$u,input:$i){id limits{sshKeys}}}';
const REPO_KEYS =
  'query($id:ID!){repository(id:$id){sshKeys{id} appendOnlySshKeys{id}} repositories{id sshKeys{id} appendOnlySshKeys{id}}}';

for (const dialect of dialects) {
  describe(`a run's temporary key is internal on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    let repo: { id: string; repoUser: string };
    let own: { id: string; fingerprint: string };
    let runKey: SshKey;

    before(async () => {
      hive = await startTestHive({ dialect });
      alice = await hive.newUser('alice');
      own = await addKey(hive, alice.token, 'laptop');
      repo = await createRepo(hive, alice.token, { name: 'home', appendOnlySshKeyIds: [own.id] });
      const em = hive.services.orm.em.fork() as Em;
      const row = await em.findOneOrFail(Repository, { id: Number(repo.id) });
      runKey = await addRunKey(em, row, 77, newPublicKey('ed25519', 'borg-hive-run-77'), new Date());
    });
    after(async () => hive?.dispose());

    it('borg-hive-keys serves it to sshd while the run lasts', async () => {
      const em = hive.services.orm.em.fork() as Em;
      const lines = await hive.services.authorizedKeys.lines(em, repo.repoUser, runKey.fingerprint);
      assert.equal(lines.length, 1, 'the run key opens the repository');
      assert.match(lines[0]!, /--append-only/);
    });

    it('no query shows it: sshKeys (not even to an admin), the repository and the list', async () => {
      const keys = await hive.gql<{ sshKeys: { id: string }[] }>(alice.token, '{sshKeys{id}}');
      assert.deepEqual(
        keys.data?.sshKeys.map((k) => k.id),
        [own.id],
      );
      const admin = await hive.gql<{ sshKeys: { id: string }[] }>(hive.adminToken, '{sshKeys{id}}');
      assert.ok(!admin.data?.sshKeys.some((k) => k.id === String(runKey.id)), 'not even to an admin');
      const r = await hive.gql<{
        repository: { sshKeys: { id: string }[]; appendOnlySshKeys: { id: string }[] };
        repositories: { id: string; sshKeys: { id: string }[]; appendOnlySshKeys: { id: string }[] }[];
      }>(alice.token, REPO_KEYS, { id: repo.id });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      assert.deepEqual(
        r.data!.repository.appendOnlySshKeys.map((k) => k.id),
        [own.id],
      );
      const listed = r.data!.repositories.find((x) => x.id === repo.id)!;
      assert.deepEqual(
        listed.appendOnlySshKeys.map((k) => k.id),
        [own.id],
      );
      assert.deepEqual(listed.sshKeys, []);
    });

    it('it does not count against the owner’s key limit, and cannot be deleted or attached', async () => {
      const limited = await hive.gql(hive.adminToken, SET_LIMITS, { u: alice.id, i: { sshKeys: 2 } });
      assert.equal(limited.errors, undefined, JSON.stringify(limited.errors));
      // one own key + the run key: a second own key still fits a limit of 2
      await addKey(hive, alice.token, 'desktop');
      const del = await hive.gql(alice.token, 'mutation($id:ID!){deleteSshKey(id:$id)}', {
        id: String(runKey.id),
      });
      assert.equal(codeOf(del), 'NOT_FOUND');
      const other = await createRepo(hive, alice.token, { name: 'other' });
      const attach = await hive.gql(
        alice.token,
        'mutation($id:ID!,$i:UpdateRepositoryInput!){updateRepository(id:$id,input:$i){id}}',
        { id: other.id, i: { sshKeyIds: [String(runKey.id)] } },
      );
      assert.equal(codeOf(attach), 'BAD_USER_INPUT', 'the run key is no key of hers to give');
    });

    it('replacing the repository’s key lists keeps the running backup’s key', async () => {
      const r = await hive.gql(
        alice.token,
        'mutation($id:ID!,$i:UpdateRepositoryInput!){updateRepository(id:$id,input:$i){id}}',
        { id: repo.id, i: { appendOnlySshKeyIds: [] } },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const em = hive.services.orm.em.fork() as Em;
      const lines = await hive.services.authorizedKeys.lines(em, repo.repoUser, runKey.fingerprint);
      assert.equal(lines.length, 1, 'the run still has its key');
      assert.equal((await hive.services.authorizedKeys.lines(em, repo.repoUser, own.fingerprint)).length, 0);
    });

    it('once removed it is gone from the key table and from sshd', async () => {
      const em = hive.services.orm.em.fork() as Em;
      await removeRunKey(em, runKey.id);
      assert.equal(await em.count(SshKey, { id: runKey.id }), 0);
      const lines = await hive.services.authorizedKeys.lines(em, repo.repoUser, runKey.fingerprint);
      assert.deepEqual(lines, []);
    });
  });
}
