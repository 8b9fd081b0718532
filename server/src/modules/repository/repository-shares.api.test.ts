import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { addKey, codeOf, createGroup, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

interface Member {
  id: string;
  token: string;
}

const REPO = '{id quotaBytes mode alertAfterDays sshKeys{id} appendOnlySshKeys{id} shares{group{id} role}}';

/** Replays a group member's attacks on a repository shared with their group, for each role. */
for (const dialect of dialects) {
  describe(`repository share roles on ${dialect}`, () => {
    let hive: TestHive;
    let owner: Member;
    let viewer: Member;
    let operator: Member;
    let manager: Member;
    let groups: { view: string; operate: string; manage: string };

    const update = (who: Member, id: string, input: string) =>
      hive.gql(who.token, `mutation($id:ID!){updateRepository(id:$id,input:${input})${REPO}}`, { id });
    const repoAsAdmin = async (id: string) =>
      (
        await hive.gql<{ repository: Record<string, unknown> | null }>(
          hive.adminToken,
          `query($id:ID!){repository(id:$id)${REPO}}`,
          { id },
        )
      ).data?.repository;
    const sharedRepo = async (name: string) =>
      createRepo(hive, owner.token, {
        name,
        shares: [
          { groupId: groups.view, role: 'VIEW' },
          { groupId: groups.operate, role: 'OPERATE' },
          { groupId: groups.manage, role: 'MANAGE' },
        ],
      });

    before(async () => {
      hive = await startTestHive({ dialect });
      owner = await hive.newUser('olga');
      viewer = await hive.newUser('vera');
      operator = await hive.newUser('otto');
      manager = await hive.newUser('mona');
      groups = {
        view: await createGroup(hive, 'viewers', [owner.id, viewer.id]),
        operate: await createGroup(hive, 'operators', [owner.id, operator.id]),
        manage: await createGroup(hive, 'managers', [owner.id, manager.id]),
      };
    });
    after(() => hive.dispose());

    it('a VIEW member sees the repository but cannot delete it, attach keys, or change quota, mode or shares', async () => {
      const repo = await sharedRepo('view-target');
      mkdirSync(repo.path, { recursive: true });
      const before = JSON.stringify(await repoAsAdmin(repo.id));
      const seen = await hive.gql(viewer.token, 'query($id:ID!){repository(id:$id){name events{id}}}', {
        id: repo.id,
      });
      assert.equal(codeOf(seen), undefined, JSON.stringify(seen.errors));
      const key = await addKey(hive, viewer.token, 'vera-key');
      for (const input of [
        `{sshKeyIds:["${key.id}"]}`,
        `{appendOnlySshKeyIds:["${key.id}"]}`,
        '{quotaBytes:0}',
        '{mode:EXPORT}',
        '{alertAfterDays:9}',
        `{shares:[{groupId:"${groups.view}",role:MANAGE}]}`,
        `{groupIds:["${groups.view}"]}`,
      ])
        assert.equal(codeOf(await update(viewer, repo.id, input)), 'FORBIDDEN', input);
      for (const deleteData of [false, true]) {
        const del = await hive.gql(
          viewer.token,
          'mutation($id:ID!,$d:Boolean){deleteRepository(id:$id,deleteData:$d)}',
          {
            id: repo.id,
            d: deleteData,
          },
        );
        assert.equal(codeOf(del), 'FORBIDDEN');
      }
      const refresh = await hive.gql(viewer.token, 'mutation($id:ID!){refreshRepository(id:$id){id}}', {
        id: repo.id,
      });
      assert.equal(codeOf(refresh), 'FORBIDDEN');
      assert.equal(JSON.stringify(await repoAsAdmin(repo.id)), before, 'nothing changed');
      assert.ok(existsSync(repo.path), 'the data is still there');
    });

    it('an OPERATE member can refresh but not delete or configure', async () => {
      const repo = await sharedRepo('operate-target');
      const refresh = await hive.gql(operator.token, 'mutation($id:ID!){refreshRepository(id:$id){id}}', {
        id: repo.id,
      });
      assert.equal(codeOf(refresh), undefined, JSON.stringify(refresh.errors));
      const del = await hive.gql(
        operator.token,
        'mutation($id:ID!){deleteRepository(id:$id,deleteData:true)}',
        {
          id: repo.id,
        },
      );
      assert.equal(codeOf(del), 'FORBIDDEN');
      assert.equal(codeOf(await update(operator, repo.id, '{quotaBytes:0}')), 'FORBIDDEN');
      assert.ok(await repoAsAdmin(repo.id), 'still there');
    });

    it('a MANAGE member can edit settings and attach only their own keys, but not change shares', async () => {
      const repo = await sharedRepo('manage-target');
      const ownersKey = await addKey(hive, owner.token, 'olga-key');
      const first = await update(owner, repo.id, `{sshKeyIds:["${ownersKey.id}"]}`);
      assert.equal(codeOf(first), undefined, JSON.stringify(first.errors));
      const mine = await addKey(hive, manager.token, 'mona-key');
      const outsider = await hive.newUser(`xavier-${dialect}`);
      const foreign = await addKey(hive, outsider.token, 'xavier-key');
      const ok = await update(
        manager,
        repo.id,
        `{sshKeyIds:["${ownersKey.id}","${mine.id}"], quotaBytes:20971520, alertAfterDays:3}`,
      );
      assert.equal(codeOf(ok), undefined, JSON.stringify(ok.errors));
      const bad = await update(manager, repo.id, `{appendOnlySshKeyIds:["${foreign.id}"]}`);
      assert.equal(codeOf(bad), 'BAD_USER_INPUT', 'a key of someone else');
      // the owner's key may stay where it is, but not move to another list
      const promote = await update(manager, repo.id, `{appendOnlySshKeyIds:["${ownersKey.id}"]}`);
      assert.equal(codeOf(promote), 'BAD_USER_INPUT');
      const share = await update(manager, repo.id, `{shares:[{groupId:"${groups.manage}",role:MANAGE}]}`);
      assert.equal(codeOf(share), 'FORBIDDEN');
      const after = await repoAsAdmin(repo.id);
      assert.deepEqual(
        (after?.sshKeys as { id: string }[]).map((k) => k.id).sort(),
        [ownersKey.id, mine.id].sort(),
      );
      assert.equal(after?.quotaBytes, 20971520);
      assert.equal((after?.shares as unknown[]).length, 3);
      const del = await hive.gql(manager.token, 'mutation($id:ID!){deleteRepository(id:$id)}', {
        id: repo.id,
      });
      assert.deepEqual(del.data, { deleteRepository: true });
    });

    it('groupIds share as VIEW; giving both groupIds and shares is refused', async () => {
      const repo = await createRepo(hive, owner.token, { name: 'legacy-share', groupIds: [groups.manage] });
      assert.deepEqual((await repoAsAdmin(repo.id))?.shares, [
        { group: { id: groups.manage }, role: 'VIEW' },
      ]);
      assert.equal(codeOf(await update(manager, repo.id, '{alertAfterDays:2}')), 'FORBIDDEN');
      const both = await update(owner, repo.id, `{groupIds:["${groups.view}"], shares:[]}`);
      assert.equal(codeOf(both), 'BAD_USER_INPUT');
    });

    it('a member leaving the group takes their keys off its repositories, with an event', async () => {
      const repo = await sharedRepo('leave-target');
      const monaKey = await addKey(hive, manager.token, 'mona-leaves');
      const olgaKey = await addKey(hive, owner.token, 'olga-stays');
      const set = await update(
        manager,
        repo.id,
        `{sshKeyIds:["${monaKey.id}"], appendOnlySshKeyIds:["${monaKey.id}"]}`,
      );
      assert.equal(codeOf(set), undefined, JSON.stringify(set.errors));
      assert.equal(
        codeOf(await update(owner, repo.id, `{sshKeyIds:["${monaKey.id}","${olgaKey.id}"]}`)),
        undefined,
      );
      const left = await hive.gql(
        hive.adminToken,
        'mutation($g:ID!,$u:ID!){removeGroupMember(groupId:$g,userId:$u){id}}',
        {
          g: groups.manage,
          u: manager.id,
        },
      );
      assert.equal(codeOf(left), undefined, JSON.stringify(left.errors));
      const after = await repoAsAdmin(repo.id);
      assert.deepEqual(after?.sshKeys, [{ id: olgaKey.id }], "the owner's key stays, hers is gone");
      assert.deepEqual(after?.appendOnlySshKeys, []);
      const events = await hive.gql<{ repository: { events: { type: string; message: string }[] } }>(
        owner.token,
        'query($id:ID!){repository(id:$id){events{type message}}}',
        { id: repo.id },
      );
      assert.ok(
        events.data?.repository.events.some((e) => /mona-leaves.*mona/.test(e.message)),
        JSON.stringify(events.data),
      );
      const gone = await hive.gql(manager.token, 'query($id:ID!){repository(id:$id){id}}', { id: repo.id });
      assert.equal(codeOf(gone), 'NOT_FOUND');
    });

    it('removing a share or deleting the group detaches the keys of members who lost the repository', async () => {
      const late = await hive.newUser(`lena-${dialect}`);
      const group = await createGroup(hive, `lena-team-${dialect}`, [owner.id, late.id]);
      const team2 = await createGroup(hive, `lena-team2-${dialect}`, [owner.id, late.id]);
      const a = await createRepo(hive, owner.token, {
        name: 'unshare',
        shares: [{ groupId: group, role: 'MANAGE' }],
      });
      const b = await createRepo(hive, owner.token, {
        name: 'group-gone',
        shares: [
          { groupId: team2, role: 'MANAGE' },
          { groupId: groups.view, role: 'VIEW' },
        ],
      });
      const key = await addKey(hive, late.token, 'lena-key');
      for (const r of [a, b])
        assert.equal(codeOf(await update(late, r.id, `{sshKeyIds:["${key.id}"]}`)), undefined);
      assert.equal(codeOf(await update(owner, a.id, '{shares:[]}')), undefined);
      assert.deepEqual((await repoAsAdmin(a.id))?.sshKeys, []);
      const del = await hive.gql(hive.adminToken, 'mutation($g:ID!){deleteGroup(id:$g)}', { g: team2 });
      assert.deepEqual(del.data, { deleteGroup: true });
      const bAfter = await repoAsAdmin(b.id);
      assert.deepEqual(bAfter?.sshKeys, []);
      assert.deepEqual(bAfter?.shares, [{ group: { id: groups.view }, role: 'VIEW' }]);
    });
  });
}
