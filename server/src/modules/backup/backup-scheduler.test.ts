import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { codeOf, createRepo } from '../../test-support/factories.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';
import { BackupRunState } from './backup-enums.js';
import { BackupJob } from './backup-job.entity.js';
import { BackupRun } from './backup-run.entity.js';
import { leaseOwnerOf } from './lease-owner.js';
import { MaintenanceSchedule } from './maintenance-schedule.entity.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpsj6TEu7wNyl+ztvWTYxJKkGKcFnTlIXf6p8dQ8gD4';
const JOB =
  'mutation($i:BackupJobInput!){createBackupJob(input:$i){id schedule timezone nextRunAt nextRuns(count:3)}}';

const emOf = (hive: TestHive) => hive.services.orm.em.fork() as Em;

describe('backup schedules: two hives on one MariaDB, an injected clock', () => {
  const clock = new ManualClock(new Date('2026-05-01T09:59:00Z'));
  let first: TestHive;
  let second: TestHive;
  let alice: { id: string; token: string };
  let clientId: string;
  let repoId: string;

  before(async () => {
    first = await startTestHive({ dialect: 'mariadb', overrides: { clock, jobs: false } });
    second = await startTestHive({
      dialect: 'mariadb',
      env: {
        BORGHIVE_DATABASE_URL: first.config.database.url,
        BORGHIVE_SECRET_KEY_FILE: first.config.secretKeyFile,
      },
      overrides: { clock, jobs: false },
    });
    alice = await first.newUser('alice');
    repoId = (await createRepo(first, alice.token, { name: 'laptop' })).id;
    // a client as registration stores it (registration itself needs a live sshd: e2e/backup-pull.test.ts)
    const em = emOf(first);
    const client = em.create(BackupClient, {
      name: 'laptop',
      host: '127.0.0.1',
      port: 9,
      user: 'alice',
      hostKey: ED25519,
      hostKeyFingerprint: 'SHA256:x',
      publicKey: ED25519,
      privateKeySealed: 'not used: the run stops before ssh',
      owner: em.getReference(User, Number(alice.id)),
    });
    await em.flush();
    clientId = String(client.id);
  });
  after(async () => {
    await second?.dispose();
    await first?.dispose();
  });

  it('refuses bad schedules, time zones and repositories with BAD_USER_INPUT, saving nothing', async () => {
    const base = { name: 'x', clientId, repositoryId: repoId, paths: ['/home'] };
    for (const [input, field] of [
      [{ ...base, schedule: '0 10 * *' }, 'schedule'],
      [{ ...base, schedule: '0 25 * * *' }, 'schedule'],
      [{ ...base, schedule: '0 10 * * *', timezone: 'Europe/Atlantis' }, 'timezone'],
      [{ ...base, paths: [] }, 'paths'],
      [{ ...base, paths: ['--remote-path=evil'] }, 'paths'],
      [{ ...base, jitterSeconds: -1 }, 'jitterSeconds'],
    ] as const) {
      const r = await first.gql<{ createBackupJob: unknown }>(alice.token, JOB, { i: input });
      assert.equal(codeOf(r), 'BAD_USER_INPUT', JSON.stringify(input));
      assert.ok(JSON.stringify(r.errors).includes(field), JSON.stringify(r.errors));
    }
    const imported = await createRepo(first, alice.token, { name: 'imported', mode: 'IMPORT' });
    const r = await first.gql(alice.token, JOB, { i: { ...base, repositoryId: imported.id } });
    assert.equal(codeOf(r), 'BAD_USER_INPUT');
    const bob = await first.newUser('bob');
    const foreign = await first.gql(bob.token, JOB, { i: base });
    assert.equal(codeOf(foreign), 'NOT_FOUND', 'another user cannot use alice’s client or repository');
    assert.equal(await emOf(first).count(BackupJob, {}), 0);
  });

  it('fires once on time across both hives, with the time zone and the next runs shown', async () => {
    const created = await first.gql<{
      createBackupJob: { id: string; nextRunAt: string; nextRuns: string[] };
    }>(alice.token, JOB, {
      i: {
        name: 'daily',
        clientId,
        repositoryId: repoId,
        paths: ['/home'],
        schedule: '0 12 * * *',
        timezone: 'Europe/Berlin',
      },
    });
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    const job = created.data!.createBackupJob;
    // 12:00 in Berlin (CEST, UTC+2) is 10:00Z
    assert.equal(job.nextRunAt, '2026-05-01T10:00:00.000Z');
    assert.deepEqual(job.nextRuns, [
      '2026-05-01T10:00:00.000Z',
      '2026-05-02T10:00:00.000Z',
      '2026-05-03T10:00:00.000Z',
    ]);

    const early = await Promise.all([first, second].map((h) => h.services.backupScheduler.tick()));
    assert.deepEqual(
      early.map((t) => t.started),
      [0, 0],
    );

    clock.set(new Date('2026-05-01T10:00:00Z'));
    const ticks = await Promise.all(
      [first, second, first, second].map((h) => h.services.backupScheduler.tick()),
    );
    assert.equal(
      ticks.reduce((n, t) => n + t.started, 0),
      1,
      JSON.stringify(ticks),
    );
    await Promise.all([first, second].map((h) => h.services.backupRuns.idle()));
    const runs = await emOf(first).find(BackupRun, { job: Number(job.id) });
    assert.equal(runs.length, 1);
    // no host keys are configured for the location: the run refuses to let the client trust on first use
    assert.equal(runs[0]!.state, BackupRunState.FAILED);
    assert.match(runs[0]!.message ?? '', /host keys of location .* are unknown/);
    const stored = await emOf(first).findOneOrFail(BackupJob, { id: Number(job.id) });
    assert.equal(stored.nextRunAt?.toISOString(), '2026-05-02T10:00:00.000Z');

    // the failed run is the repository's health now (contract §7)
    const health = await first.gql<{ repository: { health: { state: string } } }>(
      alice.token,
      'query($id:ID!){repository(id:$id){health{state}}}',
      { id: repoId },
    );
    assert.equal(health.data?.repository.health.state, 'FAILED');
  });

  it('jitter delays the next start by at most its seconds', async () => {
    const created = await first.gql<{ createBackupJob: { id: string } }>(alice.token, JOB, {
      i: {
        name: 'jittery',
        clientId,
        repositoryId: repoId,
        paths: ['/srv'],
        schedule: '30 10 * * *',
        jitterSeconds: 600,
      },
    });
    assert.equal(created.errors, undefined, JSON.stringify(created.errors));
    clock.set(new Date('2026-05-01T10:30:00Z'));
    await first.services.backupScheduler.tick();
    await first.services.backupRuns.idle();
    const stored = await emOf(first).findOneOrFail(BackupJob, {
      id: Number(created.data!.createBackupJob.id),
    });
    const next = stored.nextRunAt!.getTime();
    const base = Date.parse('2026-05-02T10:30:00Z');
    assert.ok(next >= base && next < base + 600_000, stored.nextRunAt!.toISOString());
  });

  it('a run whose hive died is INTERRUPTED once its lease ran out, by whichever hive looks first', async () => {
    const em = emOf(first);
    // what the dead hive left on this host: an "ssh" in its own process group (a sleep named ssh here)
    const leftover = spawn('bash', ['-c', 'exec -a ssh sleep 300'], { detached: true, stdio: 'ignore' });
    const leftoverExit = new Promise((resolve) => leftover.once('exit', (_code, signal) => resolve(signal)));
    const orphan = em.create(BackupRun, {
      kind: 'BACKUP' as BackupRun['kind'],
      state: BackupRunState.RUNNING,
      repository: Number(repoId),
      startedAt: clock.now(),
      leaseOwner: 'a hive that died',
      processGroups: `${hostname()} ${leftover.pid} 999999999`,
      leaseUntil: new Date(clock.now().getTime() + 60_000),
      stats: null,
    });
    await em.flush();
    assert.equal((await second.services.backupScheduler.tick()).interrupted, 0, 'the lease still holds');
    clock.advance(61_000);
    await Promise.all([first, second].map((h) => h.services.backupScheduler.tick()));
    const after = await emOf(second).findOneOrFail(BackupRun, { id: orphan.id });
    assert.equal(after.state, BackupRunState.INTERRUPTED);
    assert.equal(await leftoverExit, 'SIGTERM', 'its leftover process group was stopped');
  });

  it('a run of a hive on this host whose process is gone is INTERRUPTED at once, its lease still valid', async () => {
    const em = emOf(first);
    const gone = spawn('true');
    await new Promise((resolve) => gone.once('exit', resolve));
    const orphan = em.create(BackupRun, {
      kind: 'BACKUP' as BackupRun['kind'],
      state: BackupRunState.RUNNING,
      repository: Number(repoId),
      startedAt: clock.now(),
      leaseOwner: leaseOwnerOf('0e4c1c52-0a57-4b0c-9d4f-8f0f5a1d6b11', gone.pid!),
      leaseUntil: new Date(clock.now().getTime() + 3_600_000),
      stats: null,
    });
    // and one of a living hive process (this one: the lease decides for it)
    const living = em.create(BackupRun, {
      kind: 'BACKUP' as BackupRun['kind'],
      state: BackupRunState.RUNNING,
      repository: Number(repoId),
      startedAt: clock.now(),
      leaseOwner: leaseOwnerOf('5b0e7d2a-61c4-4f07-8a55-0b3f7c2e9d01', process.pid),
      leaseUntil: new Date(clock.now().getTime() + 3_600_000),
      stats: null,
    });
    await em.flush();
    assert.equal((await second.services.backupScheduler.tick()).interrupted, 1);
    const fresh = emOf(first);
    assert.equal((await fresh.findOneOrFail(BackupRun, { id: orphan.id })).state, BackupRunState.INTERRUPTED);
    assert.equal((await fresh.findOneOrFail(BackupRun, { id: living.id })).state, BackupRunState.RUNNING);
    await fresh.nativeUpdate(BackupRun, { id: living.id }, { state: BackupRunState.CANCELLED });
  });

  it('scheduled maintenance: COMPACT and CHECK on a cron in a time zone, started once across both hives', async () => {
    const server = (await createRepo(first, alice.token, { name: 'server' })).id;
    const SET =
      'mutation($r:ID!,$t:MaintenanceTask!,$s:String,$z:String){setMaintenanceSchedule(repositoryId:$r,task:$t,schedule:$s,timezone:$z){id task schedule timezone nextRunAt nextRuns(count:2) repositoryId}}';
    const imported = await createRepo(first, alice.token, { name: 'maint-import', mode: 'IMPORT' });
    for (const [vars, field] of [
      [{ r: server, t: 'COMPACT', s: '0 3 * *' }, 'schedule'],
      [{ r: server, t: 'COMPACT', s: '61 3 * * *' }, 'schedule'],
      [{ r: server, t: 'CHECK', s: '0 3 * * *', z: 'Mars/Olympus' }, 'timezone'],
      [{ r: server, t: 'BREAK_LOCK', s: '0 3 * * *' }, 'task'],
      [{ r: imported.id, t: 'COMPACT', s: '0 3 * * *' }, 'repositoryId'],
    ] as const) {
      const r = await first.gql(alice.token, SET, vars);
      assert.equal(codeOf(r), 'BAD_USER_INPUT', JSON.stringify(vars));
      assert.ok(JSON.stringify(r.errors).includes(field), JSON.stringify(r.errors));
    }
    const bob = await first.newUser('bob-maint');
    assert.equal(
      codeOf(await first.gql(bob.token, SET, { r: server, t: 'COMPACT', s: '0 3 * * *' })),
      'NOT_FOUND',
    );
    assert.equal(await emOf(first).count(MaintenanceSchedule, {}), 0, 'nothing saved');

    clock.set(new Date('2026-05-02T00:00:00Z')); // a Saturday
    const compact = await first.gql<{
      setMaintenanceSchedule: {
        nextRunAt: string;
        nextRuns: string[];
        repositoryId: string;
        timezone: string;
      };
    }>(alice.token, SET, { r: server, t: 'COMPACT', s: '0 3 * * 0', z: 'Europe/Berlin' });
    assert.equal(compact.errors, undefined, JSON.stringify(compact.errors));
    // Sundays 03:00 in Berlin (CEST) are 01:00Z
    assert.deepEqual(compact.data!.setMaintenanceSchedule.nextRuns, [
      '2026-05-03T01:00:00.000Z',
      '2026-05-10T01:00:00.000Z',
    ]);
    assert.equal(compact.data!.setMaintenanceSchedule.repositoryId, server);
    const check = await first.gql(alice.token, SET, { r: server, t: 'CHECK', s: '30 1 3 * *' });
    assert.equal(check.errors, undefined, JSON.stringify(check.errors));
    const listed = await second.gql<{ maintenanceSchedules: { task: string }[] }>(
      alice.token,
      'query($r:ID!){maintenanceSchedules(repositoryId:$r){task}}',
      { r: server },
    );
    assert.deepEqual(listed.data?.maintenanceSchedules.map((m) => m.task).sort(), ['CHECK', 'COMPACT']);

    const kinds = async () =>
      (await emOf(first).find(BackupRun, { repository: Number(server) }, { orderBy: { id: 'asc' } })).map(
        (r) => r.kind,
      );
    clock.set(new Date('2026-05-03T00:59:00Z'));
    await Promise.all([first, second].map((h) => h.services.backupScheduler.tick()));
    assert.deepEqual(await kinds(), [], 'not yet');
    clock.set(new Date('2026-05-03T01:00:00Z'));
    const ticks = await Promise.all(
      [first, second, first, second].map((h) => h.services.backupScheduler.tick()),
    );
    assert.equal(
      ticks.reduce((n, t) => n + t.maintenanceStarted, 0),
      1,
      JSON.stringify(ticks),
    );
    await Promise.all([first, second].map((h) => h.services.backupRuns.idle()));
    assert.deepEqual(await kinds(), ['COMPACT']);
    const stored = await emOf(first).findOneOrFail(MaintenanceSchedule, {
      repository: Number(server),
      task: 'COMPACT' as MaintenanceSchedule['task'],
    });
    assert.equal(stored.nextRunAt?.toISOString(), '2026-05-10T01:00:00.000Z');

    // the CHECK (01:30Z on the 3rd) finds a run of the repository in progress: it waits, then runs
    const busy = emOf(first);
    const holder = busy.create(BackupRun, {
      kind: 'COMPACT' as BackupRun['kind'],
      state: BackupRunState.RUNNING,
      repository: Number(server),
      startedAt: clock.now(),
      leaseOwner: first.services.backupRuns.leaseOwner,
      leaseUntil: new Date(clock.now().getTime() + 3_600_000),
      stats: null,
    });
    await busy.flush();
    clock.set(new Date('2026-05-03T01:30:00Z'));
    assert.equal((await first.services.backupScheduler.tick()).maintenanceStarted, 0, 'held back');
    await busy.nativeUpdate(BackupRun, { id: holder.id }, { state: BackupRunState.SUCCEEDED });
    clock.advance(31_000);
    assert.equal((await second.services.backupScheduler.tick()).maintenanceStarted, 1, 'tried again');
    await Promise.all([first, second].map((h) => h.services.backupRuns.idle()));
    assert.deepEqual(await kinds(), ['COMPACT', 'COMPACT', 'CHECK']);

    const removed = await first.gql<{ setMaintenanceSchedule: null }>(alice.token, SET, {
      r: server,
      t: 'CHECK',
      s: null,
    });
    assert.equal(removed.errors, undefined, JSON.stringify(removed.errors));
    assert.equal(removed.data!.setMaintenanceSchedule, null);
    assert.equal(await emOf(first).count(MaintenanceSchedule, { repository: Number(server) }), 1);
  });
});
