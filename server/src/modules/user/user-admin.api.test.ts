import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { addKey, codeOf, createGroup, createRepo, createToken } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const DELETE_USER = 'mutation($id:ID!){deleteUser(id:$id)}';
const RENAME_GROUP = 'mutation($id:ID!,$n:String!){renameGroup(id:$id,name:$n){id name}}';

/** Admin actions of the console's users and groups screens (#13): deleteUser and renameGroup. */
for (const dialect of dialects) {
  describe(`deleteUser and renameGroup on ${dialect}`, () => {
    let hive: TestHive;
    before(async () => {
      hive = await startTestHive({ dialect });
    });
    after(() => hive?.dispose());

    it('renames a group, keeping its members; refuses a bad or taken name, non-admins and unknown ids', async () => {
      const dora = await hive.newUser('dora');
      const id = await createGroup(hive, 'ops', [dora.id]);
      await createGroup(hive, 'taken', []);
      const renamed = await hive.gql<{ renameGroup: { name: string } }>(hive.adminToken, RENAME_GROUP, {
        id,
        n: 'operations',
      });
      assert.equal(renamed.errors, undefined, JSON.stringify(renamed.errors));
      assert.equal(renamed.data?.renameGroup.name, 'operations');
      const users = await hive.gql<{ users: { username: string; groups: { name: string }[] }[] }>(
        hive.adminToken,
        '{users{username groups{name}}}',
      );
      const member = users.data?.users.find((u) => u.username === 'dora');
      assert.deepEqual(
        member?.groups.map((g) => g.name),
        ['operations'],
        'members stay',
      );
      const bad = await hive.gql(hive.adminToken, RENAME_GROUP, { id, n: ' no/slash' });
      assert.equal(codeOf(bad), 'BAD_USER_INPUT');
      assert.equal(codeOf(await hive.gql(hive.adminToken, RENAME_GROUP, { id, n: 'taken' })), 'CONFLICT');
      assert.equal(codeOf(await hive.gql(dora.token, RENAME_GROUP, { id, n: 'mine' })), 'FORBIDDEN');
      assert.equal(
        codeOf(await hive.gql(hive.adminToken, RENAME_GROUP, { id: '999999', n: 'x' })),
        'NOT_FOUND',
      );
      const groups = await hive.gql<{ groups: { name: string }[] }>(hive.adminToken, '{groups{name}}');
      assert.deepEqual(groups.data?.groups.map((g) => g.name).sort(), ['operations', 'taken']);
    });

    it('deletes a user with their keys, channels and tokens; not while they own a repository', async () => {
      const eve = await hive.newUser('eve');
      const apiToken = await createToken(hive, eve.token, 'READ_ONLY');
      const key = await addKey(hive, eve.token, 'laptop');
      const channel = await hive.gql<{ createNotificationChannel: { id: string } }>(
        eve.token,
        'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
        { i: { name: 'mail', kind: 'EMAIL', settings: { to: 'eve@example.com' } } },
      );
      assert.equal(channel.errors, undefined, JSON.stringify(channel.errors));
      const repo = await createRepo(hive, eve.token, { name: 'eve-laptop', sshKeyIds: [key.id] });

      const refused = await hive.gql(hive.adminToken, DELETE_USER, { id: eve.id });
      assert.equal(codeOf(refused), 'CONFLICT');
      assert.match(refused.errors?.[0]?.message ?? '', /eve owns 1 repository/);
      const still = await hive.gql<{ me: { username: string } }>(eve.token, '{me{username}}');
      assert.equal(still.data?.me.username, 'eve', 'nothing half-made: she can still sign in');

      const removed = await hive.gql(hive.adminToken, 'mutation($id:ID!){deleteRepository(id:$id)}', {
        id: repo.id,
      });
      assert.equal(removed.errors, undefined, JSON.stringify(removed.errors));
      const deleted = await hive.gql<{ deleteUser: boolean }>(hive.adminToken, DELETE_USER, { id: eve.id });
      assert.equal(deleted.errors, undefined, JSON.stringify(deleted.errors));
      assert.equal(deleted.data?.deleteUser, true);

      const users = await hive.gql<{ users: { username: string }[] }>(hive.adminToken, '{users{username}}');
      assert.ok(!users.data?.users.some((u) => u.username === 'eve'));
      assert.equal(codeOf(await hive.gql(eve.token, '{me{username}}')), 'UNAUTHENTICATED', 'session ended');
      assert.equal(codeOf(await hive.gql(apiToken, '{me{username}}')), 'UNAUTHENTICATED', 'token ended');
      const rows = await hive.services.orm.em
        .fork()
        .getConnection()
        .execute<{ n: number | string }[]>('select count(*) as n from ssh_keys where id = ?', [
          Number(key.id),
        ]);
      assert.equal(Number(rows[0]?.n), 0, 'her ssh key is gone');
      const channels = await hive.gql<{ notificationChannels: { id: string }[] }>(
        hive.adminToken,
        '{notificationChannels{id}}',
      );
      assert.ok(
        !channels.data?.notificationChannels.some((c) => c.id === channel.data?.createNotificationChannel.id),
      );
    });

    it('refuses deleting oneself, non-admins and unknown ids', async () => {
      const me = await hive.gql<{ me: { id: string } }>(hive.adminToken, '{me{id}}');
      assert.equal(
        codeOf(await hive.gql(hive.adminToken, DELETE_USER, { id: me.data!.me.id })),
        'BAD_USER_INPUT',
      );
      const frank = await hive.newUser('frank');
      const gina = await hive.newUser('gina');
      assert.equal(codeOf(await hive.gql(frank.token, DELETE_USER, { id: gina.id })), 'FORBIDDEN');
      assert.equal(codeOf(await hive.gql(hive.adminToken, DELETE_USER, { id: '999999' })), 'NOT_FOUND');
    });
  });
}
