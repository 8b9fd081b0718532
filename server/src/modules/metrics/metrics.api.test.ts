import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ManualClock } from '../../adapters/clock.js';
import { BackupRun, BackupRunKind, BackupRunState } from '../backup/index.js';
import { Repository } from '../repository/index.js';
import { HiveMetrics, METRICS_RECONCILE_MS, RUN_COUNTS_MAX_AGE_MS } from './hive-metrics.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createRepo, createToken } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

const NOW = new Date('2026-11-02T10:00:00Z');

/** The samples of one family, keyed by their label text (`repository="x",...`). */
function samples(text: string, family: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m?.[1] === family) out.set(m[2] ?? '', Number(m[3]));
  }
  return out;
}

for (const dialect of dialects) {
  describe(`GET /metrics (contract §10) on ${dialect}`, () => {
    const clock = new ManualClock(NOW);
    let hive: TestHive;
    let metricsToken: string;
    let mona: { id: string; token: string };
    const repos: Record<string, { id: string; repoUser: string }> = {};

    const scrape = (token: string | null) =>
      fetch(`${hive.url}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
    const ping = async (id: string, path = '') => {
      const r = await hive.gql<{ repository: { pingUrl: string } }>(
        mona.token,
        `{repository(id:${id}){pingUrl}}`,
      );
      const res = await fetch(`${r.data!.repository.pingUrl}${path}`, { method: 'POST' });
      assert.equal(res.status, 200);
    };

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { clock, jobs: false } });
      mona = await hive.newUser('mona');
      metricsToken = await createToken(hive, hive.adminToken, 'METRICS', 'prometheus');
      const ok = await createRepo(hive, mona.token, { name: 'm-ok', quotaBytes: 50_000_000 });
      const never = await createRepo(hive, mona.token, { name: 'm-never' });
      const failed = await createRepo(hive, mona.token, { name: 'm-failed' });
      Object.assign(repos, { 'm-ok': ok, 'm-never': never, 'm-failed': failed });
      await ping(ok.id);
      await ping(failed.id, '/fail');
      // an archive count the hive knows (borg 2 reports it; borg 1 repositories have none stored)
      await hive.services.orm.em
        .fork()
        .getConnection()
        .execute('update repositories set archive_count = 4 where id = ?', [Number(ok.id)], 'run');
    });
    after(() => hive.dispose());

    const labels = (name: string) => `repository="${name}",repo_user="${repos[name]!.repoUser}",owner="mona"`;

    it('answers the repository gauges, health per state and the hive figures to an admin’s METRICS token', async () => {
      const res = await scrape(metricsToken);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      const lastBackup = samples(text, 'borghive_repository_last_backup_timestamp_seconds');
      assert.equal(lastBackup.get(labels('m-ok')), NOW.getTime() / 1000);
      // unknown is left out, never 0
      assert.equal(lastBackup.has(labels('m-never')), false);
      const quota = samples(text, 'borghive_repository_quota_bytes');
      assert.deepEqual([...quota], [[labels('m-ok'), 50_000_000]]);
      const health = samples(text, 'borghive_repository_health');
      assert.equal(health.get(`${labels('m-ok')},state="OK"`), 1);
      assert.equal(health.get(`${labels('m-never')},state="NEVER_BACKED_UP"`), 1);
      assert.equal(health.get(`${labels('m-failed')},state="FAILED"`), 1);
      assert.equal(health.size, 3, 'one series per repository: its current state');
      assert.equal(samples(text, 'borghive_repository_open').get(labels('m-ok')), 0);
      // archive count where known, left out where not
      assert.deepEqual([...samples(text, 'borghive_repository_archives')], [[labels('m-ok'), 4]]);
      assert.equal(
        samples(text, 'borghive_repository_last_ping_failure_timestamp_seconds').get(labels('m-failed')),
        NOW.getTime() / 1000,
      );
      assert.equal(samples(text, 'borghive_repositories').get(''), 3);
      assert.equal(samples(text, 'borghive_repositories_by_health').get('state="FAILED"'), 1);
      assert.equal(samples(text, 'borghive_subscriptions').get(''), 0);
      assert.ok(samples(text, 'borghive_websockets').has(''), 'open sockets');
      assert.equal(samples(text, 'borghive_watcher_restarts_total').get(''), 0);
      assert.equal(samples(text, 'borghive_notification_deliveries_failed').get(''), 0);
      assert.equal(samples(text, 'borghive_notification_deliveries_sent').get(''), 0);
      assert.equal(text.includes('# TYPE borghive_backup_runs gauge'), true, 'job runs by state');
      assert.equal(samples(text, 'borghive_notification_deliveries_pending').get(''), 0);
      assert.equal(
        samples(text, 'borghive_events_recorded_total').get(''),
        2,
        'the two pings recorded an event each',
      );
      assert.ok(samples(text, 'process_resident_memory_bytes').get('')! > 0, 'process metrics');
      const timed = samples(text, 'borghive_http_request_duration_seconds_count');
      assert.ok((timed.get('route="/graphql",status="200"') ?? 0) > 0, 'GraphQL requests timed');
    });

    it('reuses an answer for a few seconds, then reads only the repositories announced as changed', async () => {
      await scrape(metricsToken).then((r) => r.text());
      const reads = { ...hive.metrics.reads };
      const late = await createRepo(hive, mona.token, { name: 'm-late' });
      const cached = await scrape(metricsToken).then((r) => r.text());
      assert.equal(samples(cached, 'borghive_repositories').get(''), 3);
      clock.advance(6_000);
      const fresh = await scrape(metricsToken).then((r) => r.text());
      assert.equal(samples(fresh, 'borghive_repositories').get(''), 4);
      const lateLabels = `repository="m-late",repo_user="${late.repoUser}",owner="mona"`;
      assert.equal(
        samples(fresh, 'borghive_repository_health').get(`${lateLabels},state="NEVER_BACKED_UP"`),
        1,
      );
      assert.deepEqual(hive.metrics.reads, { full: reads.full, rows: reads.rows + 1 }, 'one row read, by id');
      // nothing written since: no row is read again
      clock.advance(6_000);
      await scrape(metricsToken).then((r) => r.text());
      assert.deepEqual(hive.metrics.reads, { full: reads.full, rows: reads.rows + 1 });
      // a ping announces its repository: that row alone is read, and the new time is in the answer
      clock.advance(60_000);
      await ping(repos['m-ok']!.id);
      clock.advance(6_000);
      const pinged = await scrape(metricsToken).then((r) => r.text());
      assert.equal(
        samples(pinged, 'borghive_repository_last_ping_success_timestamp_seconds').get(labels('m-ok')),
        NOW.getTime() / 1000 + 72,
      );
      assert.deepEqual(hive.metrics.reads, { full: reads.full, rows: reads.rows + 2 });
      // a deleted repository's series go
      const deleted = await hive.gql(mona.token, `mutation{deleteRepository(id:${late.id})}`);
      assert.equal(deleted.errors, undefined);
      clock.advance(6_000);
      const gone = await scrape(metricsToken).then((r) => r.text());
      assert.equal(samples(gone, 'borghive_repositories').get(''), 3);
      assert.equal(gone.includes('repository="m-late"'), false);
    });

    it('compares every row with the database every few minutes: a write that announced nothing shows up', async () => {
      const reads = { ...hive.metrics.reads };
      await hive.services.orm.em
        .fork()
        .getConnection()
        .execute(
          'update repositories set usage_bytes = 4242 where id = ?',
          [Number(repos['m-never']!.id)],
          'run',
        );
      clock.advance(METRICS_RECONCILE_MS);
      await scrape(metricsToken).then((r) => r.text());
      await hive.metrics.idle();
      assert.equal(hive.metrics.reads.full, reads.full + 1, 'one full read, in the background');
      clock.advance(6_000);
      const text = await scrape(metricsToken).then((r) => r.text());
      assert.equal(samples(text, 'borghive_repository_usage_bytes').get(labels('m-never')), 4242);
    });

    it('shows the result of the hive’s last backup run, brought in when the settled run is announced', async () => {
      const em = hive.services.orm.em.fork();
      const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
      const add = (
        name: string,
        kind: BackupRunKind,
        state: BackupRunState,
        created: number,
        finished: number | null,
      ) =>
        em.create(BackupRun, {
          kind,
          state,
          repository: em.getReference(Repository, Number(repos[name]!.id)),
          stats: null,
          createdAt: at(created),
          finishedAt: finished === null ? null : at(finished),
        });
      // m-ok: failed, then succeeded; a newer backup still running and a failed compact are no backup result
      add('m-ok', BackupRunKind.BACKUP, BackupRunState.FAILED, -120, -110);
      add('m-ok', BackupRunKind.BACKUP, BackupRunState.SUCCEEDED, -60, -50);
      add('m-ok', BackupRunKind.BACKUP, BackupRunState.RUNNING, -5, null);
      add('m-ok', BackupRunKind.COMPACT, BackupRunState.FAILED, -4, -3);
      // m-failed: succeeded, then failed, then a cancelled run (no result); m-never: no run at all
      add('m-failed', BackupRunKind.BACKUP, BackupRunState.SUCCEEDED, -90, -80);
      add('m-failed', BackupRunKind.BACKUP, BackupRunState.FAILED, -30, -20);
      add('m-failed', BackupRunKind.BACKUP, BackupRunState.CANCELLED, -10, -9);
      await em.flush();
      const announce = (name: string, state: BackupRunState) =>
        hive.services.bus.publish('backupRunChanged', {
          repositoryId: Number(repos[name]!.id),
          ownerId: Number(mona.id),
          groupIds: [],
          run: { id: 0, kind: BackupRunKind.BACKUP, state },
        });
      const reads = { ...hive.metrics.reads };
      // a run's progress is no change: nothing is read again
      await announce('m-never', BackupRunState.RUNNING);
      clock.advance(6_000);
      const before = await scrape(metricsToken).then((r) => r.text());
      assert.equal(samples(before, 'borghive_repository_last_run_success').size, 0);
      assert.deepEqual(hive.metrics.reads, reads);
      // settled runs are (as BackupRunService publishes them when a run settles): their rows alone are read
      await announce('m-ok', BackupRunState.SUCCEEDED);
      await announce('m-failed', BackupRunState.CANCELLED);
      clock.advance(6_000);
      const text = await scrape(metricsToken).then((r) => r.text());
      assert.deepEqual(hive.metrics.reads, { full: reads.full, rows: reads.rows + 2 });
      assert.deepEqual(
        [...samples(text, 'borghive_repository_last_run_timestamp_seconds')],
        [
          [labels('m-ok'), at(-50).getTime() / 1000],
          [labels('m-failed'), at(-20).getTime() / 1000],
        ],
      );
      assert.deepEqual(
        [...samples(text, 'borghive_repository_last_run_success')],
        [
          [labels('m-ok'), 1],
          [labels('m-failed'), 0],
        ],
        'none for m-never, which never had a run',
      );
      // the same from a full read of every row (the first scrape after a restart)
      const fresh = new HiveMetrics(hive.services.orm, clock);
      const all = Buffer.concat(await (await fresh.render()).text()).toString();
      await fresh.close();
      for (const family of [
        'borghive_repository_last_run_timestamp_seconds',
        'borghive_repository_last_run_success',
      ])
        assert.deepEqual([...samples(all, family)], [...samples(text, family)]);
    });

    it('counts backup runs per kind and state', async () => {
      const em = hive.services.orm.em.fork();
      const repository = em.getReference(Repository, Number(repos['m-ok']!.id));
      const runs: [BackupRunKind, BackupRunState][] = [
        [BackupRunKind.BACKUP, BackupRunState.SUCCEEDED],
        [BackupRunKind.BACKUP, BackupRunState.SUCCEEDED],
        [BackupRunKind.BACKUP, BackupRunState.FAILED],
        [BackupRunKind.COMPACT, BackupRunState.RUNNING],
      ];
      for (const [kind, state] of runs) em.create(BackupRun, { kind, state, repository, stats: null });
      await em.flush();
      // written here without a run message: counted again once the counts are RUN_COUNTS_MAX_AGE_MS old
      clock.advance(6_000);
      const before = samples(await scrape(metricsToken).then((r) => r.text()), 'borghive_backup_runs');
      assert.equal(before.get('kind="BACKUP",state="SUCCEEDED"'), 2, 'not read again on every scrape');
      clock.advance(RUN_COUNTS_MAX_AGE_MS);
      const text = await scrape(metricsToken).then((r) => r.text());
      const counted = samples(text, 'borghive_backup_runs');
      // with the seven runs of the test before
      assert.equal(counted.get('kind="BACKUP",state="SUCCEEDED"'), 4);
      assert.equal(counted.get('kind="BACKUP",state="FAILED"'), 3);
      assert.equal(counted.get('kind="BACKUP",state="RUNNING"'), 1);
      assert.equal(counted.get('kind="BACKUP",state="CANCELLED"'), 1);
      assert.equal(counted.get('kind="COMPACT",state="FAILED"'), 1);
      assert.equal(counted.get('kind="COMPACT",state="RUNNING"'), 1);
      assert.equal(counted.size, 6, 'only the kinds and states that occur');
    });

    it('gzips the answer for a client that accepts it, and sends it plain to one that does not', async () => {
      const get = (encoding: string) =>
        new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
          const req = request(`${hive.url}/metrics`, {
            headers: { authorization: `Bearer ${metricsToken}`, 'accept-encoding': encoding },
          });
          req.on('response', (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
            );
          });
          req.on('error', reject);
          req.end();
        });
      const zipped = await get('gzip');
      const plain = await get('identity');
      assert.equal(zipped.encoding, 'gzip');
      assert.equal(plain.encoding, undefined);
      assert.equal(gunzipSync(zipped.body).toString(), plain.body.toString());
      assert.match(plain.body.toString(), /^# HELP borghive_repository_last_backup_timestamp_seconds /);
    });

    it('refuses a scrape without a valid token (401) and one that is not an admin’s (403)', async () => {
      assert.equal((await scrape(null)).status, 401);
      assert.equal((await scrape('not-a-token')).status, 401);
      assert.equal((await scrape(mona.token)).status, 403);
      const keysRead = await createToken(hive, hive.adminToken, 'KEYS_READ', 'keys');
      assert.equal((await scrape(keysRead)).status, 403);
      assert.equal((await scrape(hive.adminToken)).status, 200, 'an admin signed in may look');
    });

    it('lets only an admin create a METRICS token, and the token reads nothing through GraphQL but me', async () => {
      const r = await hive.gql(mona.token, 'mutation{createApiToken(name:"p",scope:METRICS){token}}');
      assert.equal(codeOf(r), 'FORBIDDEN');
      const repositories = await hive.gql(metricsToken, '{repositories{id}}');
      assert.equal(codeOf(repositories), 'FORBIDDEN');
      const me = await hive.gql<{ me: { username: string } }>(metricsToken, '{me{username}}');
      assert.equal(me.data?.me.username, 'admin');
    });
  });
}
