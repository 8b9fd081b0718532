import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createToken, defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { ApiToken, TokenScope } from '../auth/index.js';
import { newBearerToken, sha256Hex } from '../../security/secrets.js';
import { User } from '../user/index.js';
import { RemoteSink } from './remote-sink.js';

const REPORT =
  'mutation($e:[RepositoryEventInput!]!){reportRepositoryEvents(events:$e){recorded duplicates unknown}}';
const KNOWN = '{agentRepositories{repoUser repoName lastUpdatedAt}}';
const MINUTE = 60_000;

type Repo = { id: string; repoUser: string; name: string };
type State = { lastUpdatedAt: string | null; usageBytes: number | null; events: { type: string }[] };

for (const dialect of dialects) {
  describe(`agent tokens on ${dialect}`, () => {
    let hive: TestHive;
    let home: string;
    let remote: string;
    let homeRepo: Repo;
    let remoteRepo: Repo;
    let agent: string;

    const createRepo = async (name: string, locationId: string): Promise<Repo> => {
      const r = await hive.gql<{ createRepository: Repo }>(
        hive.adminToken,
        'mutation($i:CreateRepositoryInput!){createRepository(input:$i){id repoUser name}}',
        { i: { name, locationId } },
      );
      assert.ok(r.data?.createRepository, JSON.stringify(r.errors));
      return r.data.createRepository;
    };
    const stateOf = async (repo: Repo): Promise<State> =>
      (
        await hive.gql<{ repository: State }>(
          hive.adminToken,
          'query($id:ID!){repository(id:$id){lastUpdatedAt usageBytes events{type}}}',
          { id: repo.id },
        )
      ).data!.repository;
    const event = (repo: Repo, type: string, at: Date, usageBytes: number | null = null) => ({
      repoUser: repo.repoUser,
      repoName: repo.name,
      type,
      at: at.toISOString(),
      usageBytes,
    });

    before(async () => {
      hive = await startTestHive({ dialect });
      home = await defaultLocationId(hive);
      const made = await hive.gql<{ createLocation: { id: string } }>(
        hive.adminToken,
        'mutation{createLocation(name:"node-b",sshHost:"node-b.example"){id}}',
      );
      remote = made.data!.createLocation.id;
      homeRepo = await createRepo('home', home);
      remoteRepo = await createRepo('remote', remote);
      agent = await createToken(hive, hive.adminToken, 'AGENT', 'node b', remote);
    });
    after(() => hive?.dispose());

    it('an AGENT token needs a location; other scopes refuse one', async () => {
      const make = (scope: string, locationId: string | null) =>
        hive.gql(
          hive.adminToken,
          'mutation($s:TokenScope!,$l:ID){createApiToken(name:"x",scope:$s,locationId:$l){token}}',
          { s: scope, l: locationId },
        );
      assert.equal(codeOf(await make('AGENT', null)), 'BAD_USER_INPUT');
      assert.equal(codeOf(await make('FULL', home)), 'BAD_USER_INPUT');
      assert.equal(codeOf(await make('KEYS_READ', home)), 'BAD_USER_INPUT');
      assert.equal(codeOf(await make('AGENT', '987654')), 'NOT_FOUND');
      assert.equal(await hive.services.orm.em.fork().count(ApiToken, { name: 'x' }), 0);
    });

    it('an AGENT token made before tokens were bound is refused by both agent operations', async () => {
      const em = hive.services.orm.em.fork() as Em;
      const admin = await em.findOneOrFail(User, { username: 'admin' });
      const legacy = newBearerToken('token');
      em.create(ApiToken, {
        name: 'old agent',
        scope: TokenScope.AGENT,
        secretHash: sha256Hex(legacy),
        user: admin,
      });
      await em.flush();
      const known = await hive.gql(legacy, KNOWN);
      assert.equal(codeOf(known), 'FORBIDDEN');
      assert.match(known.errors?.[0]?.message ?? '', /bound to no location/);
      const future = new Date(Date.now() + 60 * MINUTE);
      const report = await hive.gql(legacy, REPORT, { e: [event(homeRepo, 'UPDATED', future)] });
      assert.equal(codeOf(report), 'FORBIDDEN');
      assert.equal((await stateOf(homeRepo)).lastUpdatedAt, null);
    });

    it('sees and changes only the repositories of its location', async () => {
      const known = await hive.gql<{ agentRepositories: { repoName: string }[] }>(agent, KNOWN);
      assert.deepEqual(
        known.data?.agentRepositories.map((r) => r.repoName),
        ['remote'],
      );
      const now = new Date();
      const r = await hive.gql<{ reportRepositoryEvents: Record<string, number> }>(agent, REPORT, {
        e: [
          event(homeRepo, 'UPDATED', now),
          event(homeRepo, 'MEASURED', now, 5),
          event(remoteRepo, 'UPDATED', now),
        ],
      });
      assert.deepEqual(r.data?.reportRepositoryEvents, { recorded: 1, duplicates: 0, unknown: 2 });
      const other = await stateOf(homeRepo);
      assert.deepEqual([other.lastUpdatedAt, other.usageBytes, other.events], [null, null, []]);
      assert.equal((await stateOf(remoteRepo)).lastUpdatedAt, now.toISOString());
    });

    it('refuses times the hive does not believe and usage no disk has, writing nothing', async () => {
      const before = await stateOf(remoteRepo);
      const now = Date.now();
      const fine = event(remoteRepo, 'ACCESSED', new Date(now));
      const bad: [string, Record<string, unknown>][] = [
        ['at', event(remoteRepo, 'UPDATED', new Date('2099-01-01T00:00:00Z'))],
        ['at', event(remoteRepo, 'UPDATED', new Date(now + 10 * MINUTE))],
        ['at', event(remoteRepo, 'UPDATED', new Date('1999-12-31T23:59:59Z'))],
        ['usageBytes', event(remoteRepo, 'MEASURED', new Date(now), -1)],
        ['usageBytes', event(remoteRepo, 'MEASURED', new Date(now), 1e300)],
        ['usageBytes', event(remoteRepo, 'MEASURED', new Date(now), 1.5)],
        ['usageBytes', event(remoteRepo, 'MEASURED', new Date(now))],
        ['usageBytes', event(remoteRepo, 'UPDATED', new Date(now), 10)],
        ['repoName', { ...fine, repoName: 'x'.repeat(100_000) }],
        ['repoUser', { ...fine, repoUser: '../../etc' }],
      ];
      for (const [field, e] of bad) {
        const r = await hive.gql(agent, REPORT, { e: [fine, e] });
        assert.equal(codeOf(r), 'BAD_USER_INPUT', `${field}: ${JSON.stringify(e).slice(0, 200)}`);
        assert.deepEqual(
          r.errors?.[0]?.extensions?.problems?.map((p) => p.field),
          [`events.1.${field}`],
        );
      }
      const unknownType = await hive.gql(agent, REPORT, { e: [{ ...fine, type: 'BOGUS' }] });
      assert.equal(codeOf(unknownType), 'BAD_USER_INPUT');
      assert.deepEqual(await stateOf(remoteRepo), before, 'not even the good report of a refused batch');
      // a storage node's clock a little ahead of the hive's is fine
      const ahead = new Date(now + 4 * MINUTE);
      const ok = await hive.gql(agent, REPORT, { e: [event(remoteRepo, 'UPDATED', ahead)] });
      assert.equal(ok.errors, undefined);
      assert.equal((await stateOf(remoteRepo)).lastUpdatedAt, ahead.toISOString());
    });

    it('the agent drops what the hive refuses and delivers the rest', async () => {
      const sink = new RemoteSink({
        apiUrl: hive.url,
        token: agent,
        logger: pino({ level: 'silent' }),
        outboxFile: null,
        minRetryMs: 10,
      });
      const at = new Date(Date.now() + MINUTE);
      await sink.reportEvents([
        {
          repoUser: remoteRepo.repoUser,
          repoName: remoteRepo.name,
          type: 'UPDATED',
          at: new Date('2099-01-01'),
        },
        { repoUser: remoteRepo.repoUser, repoName: remoteRepo.name, type: 'MEASURED', at, usageBytes: 4096 },
      ]);
      assert.equal(await sink.drained(30_000), true);
      sink.stop();
      assert.deepEqual(sink.delivered, { recorded: 1, duplicates: 0, unknown: 0 });
      const state = await stateOf(remoteRepo);
      assert.equal(state.usageBytes, 4096);
      assert.notEqual(state.lastUpdatedAt, '2099-01-01T00:00:00.000Z');
    });
  });
}
