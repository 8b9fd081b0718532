import assert from 'node:assert/strict';
import { mkdir, readdir, rename, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { createRepo, fetchBackupRun } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { RepositoryLocation } from '../location/index.js';
import { Repository } from '../repository/index.js';
import { MaintenanceTask } from './backup-enums.js';

const RUN = 'id state message';
type Run = { id: string; state: string; message: string | null };

/**
 * Maintenance on borg 2 (#14): COMPACT and CHECK are refused with the reason (both need the borg key);
 * BREAK_LOCK removes on the disk only the stale lock files: older than 30 min, or any while no session
 * is open. Links in locks/ are neither followed nor removed.
 */
for (const dialect of dialects) {
  describe(`maintenance on a borg 2 repository (${dialect})`, () => {
    let hive: TestHive;
    let repo: { id: string; path: string };
    const locks = () => join(repo.path, 'locks');

    const maintain = (task: string) =>
      hive.gql<{ runMaintenance: Run }>(
        hive.adminToken,
        `mutation($r:ID!,$t:MaintenanceTask!){runMaintenance(repositoryId:$r,task:$t){${RUN}}}`,
        { r: repo.id, t: task },
      );
    const finished = async (id: string): Promise<Run> => {
      await hive.services.backupRuns.idle();
      return fetchBackupRun<Run>(hive, id, RUN);
    };
    const setOpen = async (isOpen: boolean) => {
      const em = hive.services.orm.em.fork() as Em;
      await em.nativeUpdate(Repository, { id: Number(repo.id) }, { isOpen });
    };
    /** A lock object as borg2 writes it (a name from its hash, encrypted content), `ageMs` old. */
    const lock = async (name: string, ageMs: number) => {
      const path = join(locks(), name);
      await writeFile(path, 'encrypted lock content');
      const at = new Date(Date.now() - ageMs);
      await utimes(path, at, at);
    };

    before(async () => {
      hive = await startTestHive({ dialect, overrides: { jobs: false } });
      repo = await createRepo(hive, hive.adminToken, { name: 'twolocks', borgVersion: 'BORG2' });
      await mkdir(locks(), { recursive: true });
    });
    after(() => hive?.dispose());

    it('refuses COMPACT with the reason: a full-access client must run it', async () => {
      const r = await maintain('COMPACT');
      assert.equal(r.data, null);
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
      assert.equal(
        r.errors?.[0]?.message,
        "COMPACT of borg 2 repository twolocks is refused: borg 2's compact needs the repository's borg key, " +
          'which the hive does not hold; a client with full access (all) must run `borg2 compact`',
      );
      const runs = await hive.gql<{ backupRuns: unknown[] }>(
        hive.adminToken,
        'query($r:ID){backupRuns(repositoryId:$r){id}}',
        { r: repo.id },
      );
      assert.equal(runs.errors, undefined, JSON.stringify(runs.errors));
      assert.deepEqual(runs.data?.backupRuns, [], 'no run was made');
    });

    it('refuses CHECK with the reason (borg 2 check needs the key, --repository-only too), and its schedule', async () => {
      const reason =
        "CHECK of borg 2 repository twolocks is refused: borg 2's check (--repository-only included) needs the " +
        "repository's borg key, which the hive does not hold; a client with full access (all) must run `borg2 check`";
      const r = await maintain('CHECK');
      assert.equal(r.data, null);
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(r.errors));
      assert.equal(r.errors?.[0]?.message, reason);
      for (const task of ['CHECK', 'COMPACT']) {
        const s = await hive.gql(
          hive.adminToken,
          'mutation($r:ID!,$t:MaintenanceTask!){setMaintenanceSchedule(repositoryId:$r,task:$t,schedule:"0 3 * * *"){id}}',
          { r: repo.id, t: task },
        );
        assert.equal(s.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(s.errors));
        assert.match(
          s.errors?.[0]?.message ?? '',
          new RegExp(`^task: ${task} of borg 2 repository twolocks is refused: `),
        );
      }
      const schedules = await hive.gql<{ maintenanceSchedules: unknown[] }>(
        hive.adminToken,
        'query($r:ID!){maintenanceSchedules(repositoryId:$r){id}}',
        { r: repo.id },
      );
      assert.deepEqual(schedules.data?.maintenanceSchedules, [], JSON.stringify(schedules.errors));
      // a schedule from before the repository was known as borg 2: a FAILED run with the reason, nothing run
      const em = hive.services.orm.em.fork() as Em;
      const run = await hive.services.backupRuns.startScheduledMaintenance(
        em,
        Number(repo.id),
        MaintenanceTask.CHECK,
      );
      assert.ok(run);
      assert.equal(run.state, 'FAILED');
      assert.equal(run.message, reason);
      assert.equal(run.runKeyId ?? null, null, 'no run key was made');
      const shown = await finished(String(run.id));
      assert.deepEqual(shown, { id: String(run.id), state: 'FAILED', message: reason });
    });

    it('BREAK_LOCK during a session removes only the lock files older than 30 minutes', async () => {
      await lock('a'.repeat(64), 31 * 60_000);
      await lock('b'.repeat(64), 60_000);
      await symlink('/etc/passwd', join(locks(), 'c'.repeat(64)));
      await mkdir(join(locks(), 'd'.repeat(64)));
      await setOpen(true);
      const r = await maintain('BREAK_LOCK');
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const run = await finished(r.data!.runMaintenance.id);
      assert.equal(run.state, 'SUCCEEDED', run.message ?? '');
      assert.equal(
        run.message,
        'removed 1 stale lock file of borg 2 (older than 30 min, or any while no session is open); kept 1 of a live session',
      );
      assert.deepEqual((await readdir(locks())).sort(), ['b'.repeat(64), 'c'.repeat(64), 'd'.repeat(64)]);
    });

    it('BREAK_LOCK with no session open removes every lock file (and still no link or directory)', async () => {
      await setOpen(false);
      await lock('e'.repeat(64), 0);
      const r = await maintain('BREAK_LOCK');
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const run = await finished(r.data!.runMaintenance.id);
      assert.equal(run.state, 'SUCCEEDED', run.message ?? '');
      assert.equal(
        run.message,
        'removed 2 stale lock files of borg 2 (older than 30 min, or any while no session is open)',
      );
      assert.deepEqual((await readdir(locks())).sort(), ['c'.repeat(64), 'd'.repeat(64)]);
    });

    it('BREAK_LOCK is never a success that looked at nothing: a missing directory fails, an agent-watched location waits for its agent', async () => {
      const em = hive.services.orm.em.fork() as Em;
      const row = await em.findOneOrFail(Repository, { id: Number(repo.id) }, { populate: ['location'] });
      await rename(repo.path, `${repo.path}.away`);
      try {
        const r = await maintain('BREAK_LOCK');
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        const run = await finished(r.data!.runMaintenance.id);
        assert.equal(run.state, 'FAILED');
        assert.match(run.message ?? '', /is not on this hive's disk: no lock was looked at/);
      } finally {
        await rename(`${repo.path}.away`, repo.path);
      }
      const location = row.location.getEntity();
      await em.nativeUpdate(RepositoryLocation, { id: location.id }, { agentSeenAt: new Date() });
      try {
        // the hive cannot reach an agent-watched node's locks/: the run waits for that node's agent
        await lock('f'.repeat(64), 0);
        const r = await maintain('BREAK_LOCK');
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        assert.equal(r.data?.runMaintenance.state, 'QUEUED');
        await hive.services.backupRuns.idle();
        assert.ok((await readdir(locks())).includes('f'.repeat(64)), 'nothing removed by the hive');
        const cancelled = await hive.gql<{ cancelBackupRun: Run }>(
          hive.adminToken,
          `mutation($id:ID!){cancelBackupRun(id:$id){${RUN}}}`,
          { id: r.data!.runMaintenance.id },
        );
        assert.equal(cancelled.data?.cancelBackupRun.state, 'CANCELLED', JSON.stringify(cancelled.errors));
      } finally {
        await em.nativeUpdate(RepositoryLocation, { id: location.id }, { agentSeenAt: null });
      }
    });
  });
}
