import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { healthJob } from '../../jobs/health-job.js';
import { dialects } from '../../test-support/databases.js';
import { createRepo, createToken, defaultLocationId } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

type Health = { state: string; reason: string; since: string | null; alertsOff: boolean };
const DAY = 86_400_000;

for (const dialect of dialects) {
  describe(`repository health (contract §7) on ${dialect}`, () => {
    const clock = new ManualClock(new Date('2026-11-02T10:00:00Z'));
    let hive: TestHive;
    let owner: { id: string; token: string };
    let serial = 0;

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock, jobs: false } });
      owner = await hive.newUser('hannah');
    });
    after(() => hive.dispose());

    const repo = async (input: Record<string, unknown> = {}) => {
      const r = await createRepo(hive, owner.token, { name: `h${serial++}`, ...input });
      const ping = await hive.gql<{ repository: { pingUrl: string } }>(
        owner.token,
        `{ repository(id: ${r.id}) { pingUrl } }`,
      );
      return { ...r, pingUrl: ping.data!.repository.pingUrl };
    };
    /** The single repository's health (computed when read) and the state the page filters by (stored). */
    const health = async (id: string) => {
      const r = await hive.gql<{ repository: { health: Health } }>(
        owner.token,
        `{ repository(id: ${id}) { health { state reason since alertsOff } } }`,
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.repository.health;
    };
    const listed = async (id: string) => {
      const r = await hive.gql<{ repositoryPage: { edges: { node: { id: string; health: Health } }[] } }>(
        owner.token,
        `# ${Math.random()}\n{ repositoryPage(first: 500) { edges { node { id health { state } } } } }`,
      );
      const stored = await hive.services.orm.em
        .fork()
        .getConnection()
        .execute<{ health_rank: number }[]>('select health_rank from repositories where id = ?', [
          Number(id),
        ]);
      return {
        shown: r.data!.repositoryPage.edges.find((e) => e.node.id === id)?.node.health.state,
        rank: Number(stored[0]?.health_rank),
      };
    };
    const filtered = async (state: string) => {
      const r = await hive.gql<{ repositoryPage: { edges: { node: { id: string } }[] } }>(
        owner.token,
        `# ${Math.random()}\n{ repositoryPage(first: 500, filter: { states: [${state}] }) { edges { node { id } } } }`,
      );
      return r.data!.repositoryPage.edges.map((e) => e.node.id);
    };
    const ping = async (url: string, path = '') => {
      clock.advance(1000);
      const res = await fetch(`${url}${path}`, { method: 'POST', body: 'log' });
      assert.equal(res.status, 200, await res.text());
    };
    const expectState = async (id: string, state: string, reason?: RegExp) => {
      const h = await health(id);
      assert.equal(h.state, state, JSON.stringify(h));
      if (reason) assert.match(h.reason, reason);
      assert.ok((await filtered(state)).includes(id), `the page filters ${id} as ${state} (stored)`);
      return h;
    };

    it('never backed up, then OK after a successful ping', async () => {
      const r = await repo();
      const h = await expectState(r.id, 'NEVER_BACKED_UP', /^never backed up$/);
      assert.equal(h.alertsOff, true);
      await ping(r.pingUrl);
      await expectState(r.id, 'OK', /^last backup /);
    });

    it('FAILED on /fail and on a non-zero exit status; OK again after a success', async () => {
      const r = await repo({ alertAfterDays: 7 });
      await ping(r.pingUrl);
      await ping(r.pingUrl, '/fail');
      const failed = await expectState(r.id, 'FAILED', /^last ping reported failure$/);
      assert.equal(failed.since, clock.now().toISOString());
      assert.equal(failed.alertsOff, false);
      await ping(r.pingUrl, '/2');
      await expectState(r.id, 'FAILED', /^exit status 2 reported by the last ping$/);
      await ping(r.pingUrl, '/0');
      await expectState(r.id, 'OK');
      await ping(r.pingUrl, '/fail');
      await ping(r.pingUrl);
      await expectState(r.id, 'OK');
    });

    it('IN_PROGRESS after ping /start until it finishes, or for at most a day', async () => {
      const r = await repo();
      await ping(r.pingUrl, '/start');
      await expectState(r.id, 'IN_PROGRESS', /running/);
      await ping(r.pingUrl);
      await expectState(r.id, 'OK');
      await ping(r.pingUrl, '/start');
      await expectState(r.id, 'IN_PROGRESS');
      clock.advance(DAY);
      assert.equal((await health(r.id)).state, 'OK', 'exact at once when read alone');
      await healthJob(hive.services).run();
      await expectState(r.id, 'OK');
    });

    it('IN_PROGRESS while a write session is open (watch reports)', async () => {
      const r = await repo();
      const report = (type: 'OPENED' | 'CLOSED' | 'UPDATED') =>
        hive.services.reports.ingest(hive.services.orm.em.fork() as Em, [
          { repoUser: r.repoUser, repoName: r.name, type, at: clock.now() },
        ]);
      await report('OPENED');
      await expectState(r.id, 'IN_PROGRESS', /write session is open/);
      clock.advance(1000);
      await report('UPDATED');
      await report('CLOSED');
      await expectState(r.id, 'OK');
    });

    it('STALE when the last backup is older than alertAfterDays: exact when read, listed after the job', async () => {
      const r = await repo({ alertAfterDays: 2 });
      await ping(r.pingUrl);
      await expectState(r.id, 'OK');
      const never = await repo({ alertAfterDays: 1 });
      // one query text, so the second time the response cache answers
      const cachedPage = async () => {
        const c = await hive.gql<{ repositoryPage: { edges: { node: { id: string; health: Health } }[] } }>(
          owner.token,
          `{ repositoryPage(first: 500, filter: { ownerId: ${owner.id} }) { edges { node { id health { state } } } } }`,
        );
        return c.data!.repositoryPage.edges.find((e) => e.node.id === r.id)?.node.health.state;
      };
      assert.equal(await cachedPage(), 'OK');
      assert.equal(await cachedPage(), 'OK');
      clock.advance(2 * DAY + 1000);
      assert.equal(
        await cachedPage(),
        'STALE',
        'a cached answer ends when a shown state does, with no write',
      );
      const h = await health(r.id);
      assert.equal(h.state, 'STALE');
      assert.match(h.reason, /^no backup for 2 days \(alert after 2 days\)$/);
      assert.equal((await listed(r.id)).rank, 5, 'stored: still OK until the health job runs');
      assert.equal(((await healthJob(hive.services).run()) as { changed: number }).changed >= 2, true);
      await expectState(r.id, 'STALE');
      const n = await expectState(
        never.id,
        'STALE',
        /^never backed up, created 2 days ago \(alert after 1 day\)$/,
      );
      assert.ok(n.since !== null);
      const shown = await listed(r.id);
      assert.deepEqual(shown, { shown: 'STALE', rank: 1 });
      await ping(r.pingUrl);
      await expectState(r.id, 'OK');
    });

    it('UNKNOWN while the agent of its location is away; back with its next call', async () => {
      const location = await defaultLocationId(hive);
      const agent = await createToken(hive, hive.adminToken, 'AGENT', `agent-${dialect}`, location);
      const r = await repo();
      const beat = async () => {
        const b = await hive.gql<{ agentHeartbeat: boolean }>(agent, 'mutation { agentHeartbeat }');
        assert.equal(b.data?.agentHeartbeat, true, JSON.stringify(b.errors));
      };
      await beat();
      await expectState(r.id, 'NEVER_BACKED_UP');
      clock.advance(hive.config.agent.awayAfterSeconds * 1000);
      const away = await health(r.id);
      assert.equal(away.state, 'UNKNOWN');
      assert.match(away.reason, /^agent of location .+ not seen since /);
      await healthJob(hive.services).run();
      await expectState(r.id, 'UNKNOWN');
      const failed = await repo();
      await ping(failed.pingUrl, '/fail');
      await expectState(failed.id, 'FAILED'); // a reported failure is known whatever the agent
      await beat();
      await expectState(r.id, 'NEVER_BACKED_UP');
    });
  });
}
