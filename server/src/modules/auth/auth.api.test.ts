import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createToken, defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { ApiToken } from './api-token.entity.js';
import { Session } from './session.entity.js';

for (const dialect of dialects) {
  describe(`authentication and token scopes on ${dialect}`, () => {
    let hive: TestHive;
    let dave: { id: string; token: string };
    before(async () => {
      hive = await startTestHive({ dialect });
      dave = await hive.newUser('dave');
    });
    after(() => hive.dispose());

    it('needs a token for everything but login', async () => {
      assert.equal(codeOf(await hive.gql(null, '{me{username}}')), 'UNAUTHENTICATED');
      assert.equal(codeOf(await hive.gql('bhs_' + 'x'.repeat(43), '{me{username}}')), 'UNAUTHENTICATED');
      assert.equal(
        codeOf(await hive.gql(null, 'mutation{login(username:"dave",password:"nope-nope"){token}}')),
        'UNAUTHENTICATED',
      );
    });

    it('stores only hashes of sessions and tokens', async () => {
      const token = await createToken(hive, dave.token, 'READ_ONLY', 'stored');
      const em = hive.services.orm.em.fork();
      const rows = [...(await em.find(ApiToken, {})), ...(await em.find(Session, {}))];
      const stored = JSON.stringify(rows.map((r) => ('secretHash' in r ? r.secretHash : r.tokenHash)));
      assert.ok(!stored.includes(token.slice(4)) && !stored.includes(dave.token.slice(4)));
      const schemaText = JSON.stringify(await hive.gql(dave.token, '{apiTokens{name scope}}'));
      assert.ok(!schemaText.includes('Hash'));
    });

    it('logout revokes the session', async () => {
      const t = await hive.login('dave', 'dave-password');
      assert.deepEqual((await hive.gql(t, 'mutation{logout}')).data, { logout: true });
      assert.equal(codeOf(await hive.gql(t, '{me{username}}')), 'UNAUTHENTICATED');
    });

    it('READ_ONLY reads but cannot mutate', async () => {
      const t = await createToken(hive, dave.token, 'READ_ONLY');
      assert.deepEqual((await hive.gql(t, '{me{username}}')).data, { me: { username: 'dave' } });
      assert.equal(
        codeOf(await hive.gql(t, 'mutation{createRepository(input:{name:"ro"}){id}}')),
        'FORBIDDEN',
      );
    });

    it('KEYS_READ and AGENT tokens are admin-only and limited to their operations', async () => {
      assert.equal(
        codeOf(await hive.gql(dave.token, 'mutation{createApiToken(name:"k",scope:KEYS_READ){token}}')),
        'FORBIDDEN',
      );
      const keys = await createToken(hive, hive.adminToken, 'KEYS_READ');
      assert.deepEqual((await hive.gql(keys, '{authorizedKeys(user:"abcdefgh")}')).data, {
        authorizedKeys: [],
      });
      assert.equal(codeOf(await hive.gql(keys, '{repositories{id}}')), 'FORBIDDEN');
      assert.equal(codeOf(await hive.gql(keys, '{me{username}}')), 'FORBIDDEN');
      const agent = await createToken(hive, hive.adminToken, 'AGENT', 'agent', await defaultLocationId(hive));
      assert.equal(codeOf(await hive.gql(agent, '{authorizedKeys(user:"abcdefgh")}')), 'FORBIDDEN');
      assert.equal(codeOf(await hive.gql(dave.token, '{authorizedKeys(user:"abcdefgh")}')), 'FORBIDDEN');
    });

    it('revoked and expired tokens stop working', async () => {
      const t = await createToken(hive, dave.token, 'FULL', 'short');
      const list = await hive.gql<{ apiTokens: { id: string; name: string }[] }>(
        dave.token,
        '{apiTokens{id name}}',
      );
      const id = list.data?.apiTokens.find((x) => x.name === 'short')?.id;
      await hive.gql(dave.token, 'mutation($id:ID!){revokeApiToken(id:$id)}', { id });
      assert.equal(codeOf(await hive.gql(t, '{me{username}}')), 'UNAUTHENTICATED');
      const past = await hive.gql(
        dave.token,
        'mutation{createApiToken(name:"p",scope:FULL,expiresAt:"2001-01-01T00:00:00Z"){token}}',
      );
      assert.equal(codeOf(past), 'BAD_USER_INPUT');
    });
  });
}
