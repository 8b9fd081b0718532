import assert from 'node:assert/strict';
import { mkdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { addKey, codeOf, createGroup, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const isRoot = process.getuid?.() === 0;

for (const dialect of dialects) {
  describe(`repositories on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let carol: { id: string; token: string };
    before(async () => {
      hive = await startTestHive({ dialect });
      alice = await hive.newUser('alice');
      bob = await hive.newUser('bob');
      carol = await hive.newUser('carol');
    });
    after(() => hive.dispose());

    it('creates a repository with a repo user, uid, directory, url and ping url', async () => {
      const key = await addKey(hive, alice.token, 'laptop');
      const repo = await createRepo(hive, alice.token, {
        name: 'laptop',
        sshKeyIds: [key.id],
        alertAfterDays: 3,
      });
      assert.match(repo.repoUser, /^[a-z][a-z0-9]{7}$/);
      assert.ok(repo.uid >= 1111 && repo.uid <= 99999);
      assert.equal(repo.path, `${hive.config.repoPath}/${repo.repoUser}/laptop`);
      assert.equal(repo.url, `ssh://${repo.repoUser}@localhost:22/./laptop`);
      const st = statSync(`${hive.config.repoPath}/${repo.repoUser}`);
      assert.ok(st.isDirectory());
      if (isRoot) {
        assert.equal(st.mode & 0o7777, 0o2770);
        assert.equal(st.uid, repo.uid);
      }
      const r = await hive.gql<{
        repository: {
          sshKeys: { name: string }[];
          pingUrl: string;
          isStale: boolean;
          owner: { username: string };
        };
      }>(alice.token, 'query($id:ID!){repository(id:$id){sshKeys{name} pingUrl isStale owner{username}}}', {
        id: repo.id,
      });
      assert.deepEqual(r.data?.repository.sshKeys, [{ name: 'laptop' }]);
      assert.match(r.data?.repository.pingUrl ?? '', /\/ping\/[0-9a-f-]{36}$/);
      assert.equal(r.data?.repository.isStale, false);
      assert.equal(r.data?.repository.owner.username, 'alice');
    });

    it('rejects bad input listing every problem, and duplicate names', async () => {
      const bad = await hive.gql(
        alice.token,
        'mutation{createRepository(input:{name:"ok", quotaBytes:-1, alertAfterDays:99999, sshKeyIds:["999999"]}){id}}',
      );
      assert.equal(codeOf(bad), 'BAD_USER_INPUT');
      const fields = (bad.errors?.[0]?.extensions?.problems ?? []).map((p) => p.field).sort();
      assert.deepEqual(fields, ['alertAfterDays', 'quotaBytes', 'sshKeyIds']);
      for (const name of ['', '../x', 'a/b', '.hidden', 'x'.repeat(65), 'sp ace']) {
        const r = await hive.gql(alice.token, 'mutation($n:String!){createRepository(input:{name:$n}){id}}', {
          n: name,
        });
        assert.equal(codeOf(r), 'BAD_USER_INPUT', name);
      }
      await createRepo(hive, alice.token, { name: 'dup' });
      const again = await hive.gql(alice.token, 'mutation{createRepository(input:{name:"dup"}){id}}');
      assert.equal(codeOf(again), 'CONFLICT');
      await createRepo(hive, bob.token, { name: 'dup' });
    });

    it('lets owner, group members and admins see a repository, and no one else', async () => {
      const group = await createGroup(hive, `team-${dialect}`, [alice.id, carol.id]);
      const repo = await createRepo(hive, alice.token, { name: 'shared', groupIds: [group] });
      const names = async (token: string) =>
        (
          (await hive.gql<{ repositories: { name: string }[] }>(token, '{repositories{name}}')).data
            ?.repositories ?? []
        ).map((r) => r.name);
      assert.ok((await names(carol.token)).includes('shared'));
      assert.ok((await names(hive.adminToken)).includes('shared'));
      assert.ok(!(await names(bob.token)).includes('shared'));
      const direct = await hive.gql(bob.token, 'query($id:ID!){repository(id:$id){name}}', { id: repo.id });
      assert.equal(codeOf(direct), 'NOT_FOUND');
      const upd = await hive.gql(
        bob.token,
        'mutation($id:ID!){updateRepository(id:$id,input:{alertAfterDays:1}){id}}',
        { id: repo.id },
      );
      assert.equal(codeOf(upd), 'NOT_FOUND');
      const carolUpdates = () =>
        hive.gql(
          carol.token,
          'mutation($id:ID!){updateRepository(id:$id,input:{alertAfterDays:1}){alertAfterDays}}',
          { id: repo.id },
        );
      // groupIds share as VIEW: a member sees it but may not change it
      assert.equal(codeOf(await carolUpdates()), 'FORBIDDEN');
      const promote = await hive.gql(
        alice.token,
        'mutation($id:ID!,$g:ID!){updateRepository(id:$id,input:{shares:[{groupId:$g,role:MANAGE}]}){shares{group{id} role}}}',
        { id: repo.id, g: group },
      );
      assert.deepEqual(promote.data, {
        updateRepository: { shares: [{ group: { id: group }, role: 'MANAGE' }] },
      });
      assert.deepEqual((await carolUpdates()).data, { updateRepository: { alertAfterDays: 1 } });
      const notMember = await hive.gql(
        bob.token,
        'mutation($g:ID!){createRepository(input:{name:"x",groupIds:[$g]}){id}}',
        { g: group },
      );
      assert.equal(codeOf(notMember), 'BAD_USER_INPUT');
    });

    it('attaches only keys the caller may see', async () => {
      const bobsKey = await addKey(hive, bob.token, 'bobs');
      const r = await hive.gql(
        alice.token,
        'mutation($k:ID!){createRepository(input:{name:"stolen",sshKeyIds:[$k]}){id}}',
        { k: bobsKey.id },
      );
      assert.equal(codeOf(r), 'BAD_USER_INPUT');
      const list = await hive.gql<{ sshKeys: { name: string }[] }>(alice.token, '{sshKeys{name}}');
      assert.ok(!list.data?.sshKeys.some((k) => k.name === 'bobs'));
    });

    it('allocates unique uids and repo users under concurrent creation', async () => {
      const made = await Promise.all(
        Array.from({ length: 12 }, (_, i) => createRepo(hive, bob.token, { name: `par-${i}` })),
      );
      assert.equal(new Set(made.map((m) => m.uid)).size, made.length);
      assert.equal(new Set(made.map((m) => m.repoUser)).size, made.length);
    });

    it('renames move the data; deleting keeps it unless deleteData is true', async () => {
      const repo = await createRepo(hive, alice.token, { name: 'old-name' });
      mkdirSync(repo.path, { recursive: true });
      writeFileSync(`${repo.path}/README`, 'borg');
      const renamed = await hive.gql<{ updateRepository: { path: string } }>(
        alice.token,
        'mutation($id:ID!){updateRepository(id:$id,input:{name:"new-name"}){path}}',
        { id: repo.id },
      );
      const newPath = renamed.data?.updateRepository.path ?? '';
      assert.ok(existsSync(`${newPath}/README`));
      await hive.gql(alice.token, 'mutation($id:ID!){deleteRepository(id:$id)}', { id: repo.id });
      assert.ok(existsSync(`${newPath}/README`), 'data kept by default');
      const other = await createRepo(hive, alice.token, { name: 'wipe-me' });
      mkdirSync(other.path, { recursive: true });
      const del = await hive.gql(
        alice.token,
        'mutation($id:ID!){deleteRepository(id:$id, deleteData:true)}',
        { id: other.id },
      );
      assert.deepEqual(del.data, { deleteRepository: true });
      assert.ok(!existsSync(other.path));
      const gone = await hive.gql(alice.token, 'query($id:ID!){repository(id:$id){id}}', { id: other.id });
      assert.equal(codeOf(gone), 'NOT_FOUND');
    });
  });
}
