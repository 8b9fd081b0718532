import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { addKey, createGroup, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

// Every field of the contract, nested ones included: the list (plain rows) must answer exactly as the
// single-object query (entities) does.
const FIELDS = `id name repoUser uid mode path url borgInitCommand quotaBytes alertAfterDays isOpen lastAccessAt
  lastUpdatedAt usageBytes isStale pingUrl createdAt lastBackupAt location { id name sshHost sshPort }
  sshKeys { id name publicKey type bits fingerprint comment lastUsedAt createdAt owner { id username email } }
  appendOnlySshKeys { id name publicKey owner { username } } owner { id username email } groups { id name }
  events(limit: 3) { id type message } statistics(limit: 3) { id usageBytes }`;

type Repo = { id: string; name: string } & Record<string, unknown>;

for (const dialect of dialects) {
  describe(`repositories list (plain read model) on ${dialect}`, () => {
    let hive: TestHive;
    let alice: { id: string; token: string };
    let bob: { id: string; token: string };
    let carol: { id: string; token: string };
    before(async () => {
      hive = await startTestHive({ dialect });
      alice = await hive.newUser('alice');
      bob = await hive.newUser('bob');
      carol = await hive.newUser('carol');
      const group = await createGroup(hive, `list-${dialect}`, [alice.id, bob.id]);
      const k1 = await addKey(hive, alice.token, 'k1');
      const k2 = await addKey(hive, alice.token, 'k2');
      const k3 = await addKey(hive, alice.token, 'k3');
      await createRepo(hive, alice.token, {
        name: 'zeta',
        sshKeyIds: [k2.id, k1.id],
        appendOnlySshKeyIds: [k3.id],
        quotaBytes: 5e9,
        alertAfterDays: 2,
        groupIds: [group],
      });
      await createRepo(hive, alice.token, { name: 'alpha', sshKeyIds: [k1.id] });
      await createRepo(hive, carol.token, { name: 'mid' });
    });
    after(() => hive.dispose());

    const list = async (token: string) => {
      const r = await hive.gql<{ repositories: Repo[] }>(token, `{ repositories { ${FIELDS} } }`);
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data?.repositories ?? [];
    };
    const single = async (token: string, id: string) => {
      const r = await hive.gql<{ repository: Repo }>(
        token,
        `query($id:ID!){ repository(id:$id) { ${FIELDS} } }`,
        {
          id,
        },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data?.repository;
    };

    it('answers every field as the single-object query does, for admin, owner, group member and outsider', async () => {
      for (const [who, token, names] of [
        ['admin', hive.adminToken, ['alpha', 'mid', 'zeta']],
        ['owner', alice.token, ['alpha', 'zeta']],
        ['group member', bob.token, ['zeta']],
        ['other owner', carol.token, ['mid']],
      ] as const) {
        const repos = await list(token);
        assert.deepEqual(
          repos.map((r) => r.name),
          names,
          who,
        );
        for (const repo of repos)
          assert.deepEqual(repo, await single(token, repo.id), `${who}: ${repo.name}`);
      }
    });

    it('lists keys in creation order, full and append-only apart, with their owners', async () => {
      const [, zeta] = await list(alice.token);
      const names = (keys: unknown) => (keys as { name: string }[]).map((k) => k.name);
      assert.deepEqual(names(zeta?.sshKeys), ['k1', 'k2']);
      assert.deepEqual(names(zeta?.appendOnlySshKeys), ['k3']);
      assert.deepEqual(names(zeta?.groups), [`list-${dialect}`]);
      const keys = zeta?.sshKeys as { owner: { username: string; email: string | null } }[];
      assert.equal(keys[0]?.owner.username, 'alice');
      assert.equal(keys[0]?.owner.email, 'alice@example.test');
      // bob sees alice's keys through the group, not her email
      const [bobsZeta] = await list(bob.token);
      assert.equal((bobsZeta?.sshKeys as { owner: { email: string | null } }[])[0]?.owner.email, null);
    });

    it('prefetches events for aliases, variables and fragments alike', async () => {
      const conn = hive.services.orm.em.getConnection();
      for (const [type, at] of [
        ['OPENED', '2026-01-01 10:00:00'],
        ['CLOSED', '2026-01-01 11:00:00'],
      ]) {
        await conn.execute(
          `insert into repository_events (repository_id, type, message, created_at)
             select id, ?, 'test', ? from repositories`,
          [type, at],
          'run',
        );
      }
      const recent = 'one: events(limit: 1) { id type } ...F';
      const fragment = 'fragment F on Repository { all: events(limit: $n) { id type } statistics { id } }';
      const r = await hive.gql<{ repositories: Repo[] }>(
        alice.token,
        `query($n: Int) { repositories { id ${recent} } } ${fragment}`,
        { n: 50 },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      for (const repo of r.data?.repositories ?? []) {
        const one = await hive.gql<{ repository: Repo }>(
          alice.token,
          `query($id: ID!, $n: Int) { repository(id: $id) { id ${recent} } } ${fragment}`,
          { id: repo.id, n: 50 },
        );
        assert.deepEqual(repo, one.data?.repository);
        assert.deepEqual(
          (repo.one as { type: string }[]).map((e) => e.type),
          ['CLOSED'],
        );
        assert.deepEqual(
          (repo.all as { type: string }[]).map((e) => e.type),
          ['CLOSED', 'OPENED'],
        );
      }
    });
  });
}
