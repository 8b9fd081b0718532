import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf, newPublicKey } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const CREATE_REPO = 'mutation($n:String!){createRepository(input:{name:$n}){id}}';
const ADD_KEY = 'mutation($n:String!,$k:String!){addSshKey(name:$n,publicKey:$k){id}}';
const SET_LIMITS =
  'mutation($u:ID!,$i:UserLimitsInput!){setUserLimits(userId:$u,input:$i){id limits{repositories sshKeys}}}';

for (const dialect of dialects) {
  describe(`per-user limits on ${dialect}`, () => {
    let hive: TestHive;
    before(async () => {
      hive = await startTestHive({ dialect });
    });
    after(() => hive.dispose());

    it('refuses the 101st repository with the default limit; an admin raises it for one user', async () => {
      const user = await hive.newUser('hoarder');
      for (let i = 0; i < 100; i++) {
        const r = await hive.gql(user.token, CREATE_REPO, { n: `r${i}` });
        assert.equal(codeOf(r), undefined, JSON.stringify(r.errors));
      }
      const refused = await hive.gql(user.token, CREATE_REPO, { n: 'r100' });
      assert.equal(codeOf(refused), 'LIMIT_EXCEEDED');
      assert.match(refused.errors?.[0]?.message ?? '', /at most 100 repositories/);
      const count = await hive.gql<{ repositories: unknown[] }>(user.token, '{repositories{id}}');
      assert.equal(count.data?.repositories.length, 100, 'nothing was created');
      const me = await hive.gql<{ me: { limits: { repositories: number } } }>(
        user.token,
        '{me{limits{repositories}}}',
      );
      assert.equal(me.data?.me.limits.repositories, 100);
      const raised = await hive.gql(hive.adminToken, SET_LIMITS, { u: user.id, i: { repositories: 101 } });
      assert.equal(codeOf(raised), undefined, JSON.stringify(raised.errors));
      assert.equal(codeOf(await hive.gql(user.token, CREATE_REPO, { n: 'r100' })), undefined);
      assert.equal(codeOf(await hive.gql(user.token, CREATE_REPO, { n: 'r101' })), 'LIMIT_EXCEEDED');
      const bad = await hive.gql(hive.adminToken, SET_LIMITS, { u: user.id, i: { sshKeys: -1 } });
      assert.equal(codeOf(bad), 'BAD_USER_INPUT');
      const self = await hive.gql(user.token, SET_LIMITS, { u: user.id, i: { repositories: 0 } });
      assert.equal(codeOf(self), 'FORBIDDEN');
    });

    it('12 concurrent creations at limit-1 create exactly one (repositories and ssh keys)', async () => {
      const user = await hive.newUser('racer');
      await hive.gql(hive.adminToken, SET_LIMITS, { u: user.id, i: { repositories: 5, sshKeys: 5 } });
      for (let i = 0; i < 4; i++) {
        assert.equal(codeOf(await hive.gql(user.token, CREATE_REPO, { n: `base${i}` })), undefined);
        const k = await hive.gql(user.token, ADD_KEY, { n: `base${i}`, k: newPublicKey() });
        assert.equal(codeOf(k), undefined, JSON.stringify(k.errors));
      }
      const keys = Array.from({ length: 12 }, () => newPublicKey());
      const [repos, added] = await Promise.all([
        Promise.all(
          Array.from({ length: 12 }, (_, i) => hive.gql(user.token, CREATE_REPO, { n: `par${i}` })),
        ),
        Promise.all(keys.map((k, i) => hive.gql(user.token, ADD_KEY, { n: `par${i}`, k }))),
      ]);
      for (const results of [repos, added]) {
        const codes = results.map(codeOf);
        assert.equal(codes.filter((c) => c === undefined).length, 1, JSON.stringify(codes));
        assert.equal(codes.filter((c) => c === 'LIMIT_EXCEEDED').length, 11, JSON.stringify(codes));
      }
      const mine = await hive.gql<{ repositories: unknown[]; sshKeys: unknown[] }>(
        user.token,
        '{repositories{id} sshKeys{id}}',
      );
      assert.equal(mine.data?.repositories.length, 5);
      assert.equal(mine.data?.sshKeys.length, 5);
    });

    it('admins have no limits', async () => {
      const admin = await hive.newUser('boss', { isAdmin: true });
      await hive.gql(hive.adminToken, SET_LIMITS, { u: admin.id, i: { repositories: 1 } });
      for (const n of ['a1', 'a2', 'a3'])
        assert.equal(codeOf(await hive.gql(admin.token, CREATE_REPO, { n })), undefined);
    });
  });

  describe(`creation rate limit on ${dialect}`, () => {
    let hive: TestHive;
    const clock = new ManualClock(new Date('2026-12-01T12:00:00Z'));
    before(async () => {
      hive = await startTestHive({
        dialect,
        overrides: { clock },
        env: { BORGHIVE_LIMIT_CREATIONS_PER_MINUTE: '5' },
      });
    });
    after(() => hive.dispose());

    it('counts creations of every kind together per minute, in the database', async () => {
      const user = await hive.newUser('burst');
      const made = [
        await hive.gql(user.token, CREATE_REPO, { n: 'one' }),
        await hive.gql(user.token, ADD_KEY, { n: 'k1', k: newPublicKey() }),
        await hive.gql(user.token, 'mutation{createApiToken(name:"t1",scope:READ_ONLY){token}}'),
        await hive.gql(
          user.token,
          'mutation{createNotificationChannel(input:{name:"c1",kind:WEBHOOK,settings:{url:"http://127.0.0.1:9/x"}}){id}}',
        ),
        await hive.gql(user.token, CREATE_REPO, { n: 'two' }),
      ];
      assert.deepEqual(
        made.map(codeOf),
        [undefined, undefined, undefined, undefined, undefined],
        JSON.stringify(made.map((m) => m.errors)),
      );
      const sixth = await hive.gql(user.token, 'mutation{createApiToken(name:"t2",scope:READ_ONLY){token}}');
      assert.equal(codeOf(sixth), 'RATE_LIMITED');
      assert.match(sixth.errors?.[0]?.message ?? '', /at most 5 creations per 60 s/);
      const tokens = await hive.gql<{ apiTokens: { name: string }[] }>(user.token, '{apiTokens{name}}');
      assert.ok(!tokens.data?.apiTokens.some((t) => t.name === 't2'), 'the refused token was not created');
      clock.advance(60_000);
      assert.equal(codeOf(await hive.gql(user.token, CREATE_REPO, { n: 'three' })), undefined);
    });
  });
}
