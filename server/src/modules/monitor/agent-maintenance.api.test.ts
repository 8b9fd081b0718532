import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import {
  codeOf,
  createRepo,
  createToken,
  defaultLocationId,
  fetchBackupRun,
} from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { MaintenanceTask } from '../backup/index.js';
import { Repository } from '../repository/index.js';

const CLAIM =
  'mutation($a:String!){claimMaintenanceRun(agentId:$a){runId task repoUser repoName borgVersion isOpen leaseUntil}}';
const RENEW =
  'mutation($r:ID!,$a:String!){renewMaintenanceRun(runId:$r,agentId:$a){cancelRequested leaseUntil}}';
const REPORT =
  'mutation($r:ID!,$a:String!,$x:MaintenanceReportInput!){reportMaintenanceRun(runId:$r,agentId:$a,result:$x)}';
const RUN = 'id kind state startedAt finishedAt exitCode message log';
const MINUTE = 60_000;
const AGENT_ID = '0c7d1e52-9a43-4d55-8c0e-6b2f5a1d9e01';
const OTHER_AGENT_ID = '5f2b6c1a-0d3e-4b7a-9e8f-1a2b3c4d5e6f';

type Run = {
  id: string;
  kind: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  message: string | null;
  log: string;
};
type Claimed = {
  runId: string;
  task: string;
  repoUser: string;
  repoName: string;
  borgVersion: string;
  isOpen: boolean;
};

/**
 * Maintenance on a location a `borg-hive agent` watches (#11): queued for the agent, claimed, renewed and
 * reported with its AGENT token, only for runs of its own location; a claim or renewal that does not come
 * in time ends the run FAILED; cancel works before and after the claim. Time moves by an injected clock.
 */
for (const dialect of dialects) {
  describe(`maintenance run by a storage node's agent on ${dialect}`, () => {
    const clock = new ManualClock(new Date());
    let hive: TestHive;
    let repo: { id: string; repoUser: string; name: string };
    let homeRepo: { id: string };
    let agent: string;
    let homeAgent: string;
    let alice: { id: string; token: string };

    const maintain = async (task: string, id = repo.id): Promise<Run> => {
      const r = await hive.gql<{ runMaintenance: Run }>(
        hive.adminToken,
        `mutation($r:ID!,$t:MaintenanceTask!){runMaintenance(repositoryId:$r,task:$t){${RUN}}}`,
        { r: id, t: task },
      );
      assert.ok(r.data?.runMaintenance, JSON.stringify(r.errors));
      return r.data.runMaintenance;
    };
    const runOf = (id: string) => fetchBackupRun<Run>(hive, id, RUN);
    const claim = (token: string, agentId = AGENT_ID) =>
      hive.gql<{ claimMaintenanceRun: Claimed | null }>(token, CLAIM, { a: agentId });
    const renew = (token: string, runId: string, agentId = AGENT_ID) =>
      hive.gql<{ renewMaintenanceRun: { cancelRequested: boolean } }>(token, RENEW, { r: runId, a: agentId });
    const report = (token: string, runId: string, x: Record<string, unknown>, agentId = AGENT_ID) =>
      hive.gql<{ reportMaintenanceRun: boolean }>(token, REPORT, { r: runId, a: agentId, x });
    const ok = { state: 'SUCCEEDED', exitCode: 0, message: 'compact succeeded', log: 'INFO compacted\n' };
    const window = async () => {
      const row = await (hive.services.orm.em.fork() as Em).findOneOrFail(Repository, {
        id: Number(repo.id),
      });
      return { started: row.maintenanceStartedAt, finished: row.maintenanceFinishedAt };
    };
    const recover = () => hive.services.backupRuns.recover(hive.services.orm.em.fork() as Em);

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock, jobs: false } });
      const made = await hive.gql<{ createLocation: { id: string } }>(
        hive.adminToken,
        'mutation{createLocation(name:"node-m",sshHost:"node-m.example"){id}}',
      );
      const remote = made.data!.createLocation.id;
      const home = await defaultLocationId(hive);
      repo = await createRepo(hive, hive.adminToken, { name: 'nodem', locationId: remote });
      homeRepo = await createRepo(hive, hive.adminToken, { name: 'athome', locationId: home });
      agent = await createToken(hive, hive.adminToken, 'AGENT', 'node m', remote);
      homeAgent = await createToken(hive, hive.adminToken, 'AGENT', 'home node', home);
      alice = await hive.newUser('alice', { isAdmin: true });
      // the agent calls in: its location's maintenance is its own from now on
      assert.equal((await hive.gql(agent, 'mutation{agentHeartbeat}')).errors, undefined);
    });
    after(() => hive?.dispose());

    it('a run of the hive, or of another location, is not the agent’s', async () => {
      const own = await maintain('COMPACT', homeRepo.id); // the default location has no agent: the hive runs it
      await hive.services.backupRuns.idle();
      assert.equal(codeOf(await renew(agent, own.id)), 'NOT_FOUND');
      assert.equal(codeOf(await report(agent, own.id, ok)), 'NOT_FOUND');
      assert.equal((await runOf(own.id)).state, 'FAILED'); // no host keys known for the default location
    });

    it('queues the run for the agent, which claims, renews and reports it; the window opens and closes', async () => {
      const queued = await maintain('COMPACT');
      assert.deepEqual([queued.kind, queued.state, queued.startedAt], ['COMPACT', 'QUEUED', null]);
      assert.equal((await window()).finished, null, 'the window is open from the queueing on');
      const second = await hive.gql(
        hive.adminToken,
        'mutation($r:ID!){runMaintenance(repositoryId:$r,task:CHECK){id}}',
        {
          r: repo.id,
        },
      );
      assert.equal(codeOf(second), 'CONFLICT', 'one run at a time');

      // nobody else gets it: the agent of another location, a user's token, a bad agent id
      assert.equal((await claim(homeAgent)).data?.claimMaintenanceRun, null);
      assert.equal(codeOf(await claim(alice.token)), 'FORBIDDEN');
      assert.equal(codeOf(await claim(agent, '../x')), 'BAD_USER_INPUT');

      const claimed = await claim(agent);
      assert.equal(claimed.errors, undefined, JSON.stringify(claimed.errors));
      assert.deepEqual(
        { ...claimed.data!.claimMaintenanceRun, leaseUntil: undefined },
        {
          runId: queued.id,
          task: 'COMPACT',
          repoUser: repo.repoUser,
          repoName: 'nodem',
          borgVersion: 'BORG1',
          isOpen: false,
          leaseUntil: undefined,
        },
      );
      assert.equal((await claim(agent)).data?.claimMaintenanceRun, null, 'claimed once');
      assert.equal((await runOf(queued.id)).state, 'RUNNING');

      // the other location's agent, another agent of this location, a user: none may renew or report it
      assert.equal(codeOf(await renew(homeAgent, queued.id)), 'NOT_FOUND');
      assert.equal(codeOf(await report(homeAgent, queued.id, ok)), 'NOT_FOUND');
      assert.equal(codeOf(await renew(agent, queued.id, OTHER_AGENT_ID)), 'CONFLICT');
      assert.equal(codeOf(await report(agent, queued.id, ok, OTHER_AGENT_ID)), 'CONFLICT');
      assert.equal(codeOf(await renew(alice.token, queued.id)), 'FORBIDDEN');
      assert.equal(codeOf(await report(alice.token, queued.id, ok)), 'FORBIDDEN');

      // renewals keep it alive past the first lease
      for (let i = 0; i < 6; i++) {
        clock.advance(MINUTE / 2);
        const r = await renew(agent, queued.id);
        assert.deepEqual(r.data?.renewMaintenanceRun.cancelRequested, false, JSON.stringify(r.errors));
        await recover();
      }
      assert.equal((await runOf(queued.id)).state, 'RUNNING');

      // bounded and checked inputs
      const bad: [string, Record<string, unknown>][] = [
        ['result.state', { ...ok, state: 'RUNNING' }],
        ['result.exitCode', { ...ok, exitCode: 256 }],
        ['result.message', { ...ok, message: 'm'.repeat(1001) }],
        ['result.log', { ...ok, log: 'l'.repeat(64 * 1024 + 1) }],
      ];
      for (const [field, x] of bad) {
        const r = await report(agent, queued.id, x);
        assert.equal(codeOf(r), 'BAD_USER_INPUT', field);
        assert.deepEqual(
          r.errors?.[0]?.extensions?.problems?.map((p) => p.field),
          [field],
        );
      }

      const done = await report(agent, queued.id, ok);
      assert.equal(done.errors, undefined, JSON.stringify(done.errors));
      const run = await runOf(queued.id);
      assert.deepEqual(
        [run.state, run.exitCode, run.message, run.log],
        ['SUCCEEDED', 0, 'compact succeeded', 'INFO compacted\n'],
      );
      const w = await window();
      assert.equal(w.finished?.toISOString(), run.finishedAt, 'closed when the run ended');
      assert.ok(w.started! <= new Date(run.startedAt!));
      assert.equal(codeOf(await report(agent, queued.id, ok)), 'CONFLICT', 'reported once');
      assert.equal(codeOf(await renew(agent, queued.id)), 'CONFLICT');
    });

    it('a queued run no agent claims within 10 min ends FAILED, and the window closes', async () => {
      const queued = await maintain('CHECK');
      clock.advance(9 * MINUTE);
      await recover();
      assert.equal((await runOf(queued.id)).state, 'QUEUED');
      clock.advance(2 * MINUTE);
      await recover();
      const run = await runOf(queued.id);
      assert.equal(run.state, 'FAILED');
      assert.match(run.message ?? '', /no borg-hive agent of location \d+ claimed it within 10 min/);
      assert.equal((await window()).finished?.toISOString(), run.finishedAt);
      assert.equal((await claim(agent)).data?.claimMaintenanceRun, null, 'nothing left to claim');
    });

    it('a claimed run whose agent stops renewing ends FAILED; its late report is refused', async () => {
      const queued = await maintain('COMPACT');
      assert.equal((await claim(agent)).data?.claimMaintenanceRun?.runId, queued.id);
      clock.advance(MINUTE);
      await recover();
      assert.equal((await runOf(queued.id)).state, 'RUNNING');
      clock.advance(MINUTE + 1000);
      await recover();
      const run = await runOf(queued.id);
      assert.equal(run.state, 'FAILED');
      assert.match(run.message ?? '', /stopped renewing its claim/);
      assert.equal((await window()).finished?.toISOString(), run.finishedAt);
      const late = await report(agent, queued.id, ok);
      assert.equal(codeOf(late), 'CONFLICT');
      assert.match(late.errors?.[0]?.message ?? '', /FAILED/);
    });

    it('cancel: a queued run ends at once; a claimed one at the agent’s next renewal and report', async () => {
      const cancel = (id: string) =>
        hive.gql<{ cancelBackupRun: Run }>(
          alice.token,
          `mutation($id:ID!){cancelBackupRun(id:$id){${RUN}}}`,
          {
            id,
          },
        );
      const queued = await maintain('BREAK_LOCK');
      const c1 = await cancel(queued.id);
      assert.equal(c1.data?.cancelBackupRun.state, 'CANCELLED', JSON.stringify(c1.errors));
      assert.equal((await window()).finished?.toISOString(), c1.data?.cancelBackupRun.finishedAt);
      assert.equal((await claim(agent)).data?.claimMaintenanceRun, null);

      const second = await maintain('COMPACT');
      assert.equal((await claim(agent)).data?.claimMaintenanceRun?.runId, second.id);
      assert.equal((await cancel(second.id)).data?.cancelBackupRun.state, 'RUNNING');
      assert.equal((await renew(agent, second.id)).data?.renewMaintenanceRun.cancelRequested, true);
      const r = await report(agent, second.id, {
        state: 'CANCELLED',
        exitCode: null,
        message: 'compact cancelled',
      });
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      assert.equal((await runOf(second.id)).state, 'CANCELLED');
      assert.notEqual((await window()).finished, null);
    });

    it('a scheduled COMPACT on the agent’s location is queued for the agent too, never run by the hive', async () => {
      const em = hive.services.orm.em.fork() as Em;
      const started = await hive.services.backupRuns.startScheduledMaintenance(
        em,
        Number(repo.id),
        MaintenanceTask.COMPACT,
      );
      assert.ok(started, 'the scheduler started it');
      assert.equal(started.state, 'QUEUED');
      assert.equal(started.runKeyId ?? null, null, 'no key of the hive is made for it');
      assert.equal((await window()).finished, null, 'the window is open');
      const claimed = (await claim(agent)).data?.claimMaintenanceRun;
      assert.deepEqual(
        [claimed?.runId, claimed?.task, claimed?.repoName],
        [String(started.id), 'COMPACT', 'nodem'],
      );
      const r = await report(agent, String(started.id), ok);
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const run = await runOf(String(started.id));
      assert.deepEqual([run.state, run.message], ['SUCCEEDED', 'compact succeeded']);
      assert.equal((await window()).finished?.toISOString(), run.finishedAt);
    });
  });
}
