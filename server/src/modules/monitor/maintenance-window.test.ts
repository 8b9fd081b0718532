import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { eventually } from '../../test-support/eventually.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { BackupRun, BackupRunState } from '../backup/index.js';
import { Repository } from '../repository/index.js';
import { createRepository, fetchRepository, watchTypes } from './monitor-test-kit.js';

const run = promisify(execFile);
const DAY = 86_400_000;

/**
 * borg 1 cannot tell a compaction's commit from a backup's on disk (both write index.N): the hive knows
 * when it compacts or checks, and what the watcher or a refresh sees in that window leaves lastUpdatedAt
 * and staleness alone.
 */
for (const dialect of dialects) {
  describe(`a COMPACT or CHECK never counts as a backup (borg 1, the real watcher) on ${dialect}`, () => {
    let hive: TestHive;
    let work: string;
    let alice: { id: string; token: string };
    let repo: { id: string; path: string };
    const borg = async (...args: string[]) =>
      (
        await run('borg', args, {
          env: {
            ...process.env,
            BORG_BASE_DIR: work,
            BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
            BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
          },
        })
      ).stdout;
    const sql = (query: string, params: unknown[]) =>
      hive.services.orm.em.fork().getConnection().execute(query, params);
    const health = async () =>
      (
        await hive.gql<{ repository: { lastUpdatedAt: string | null; health: { state: string } } }>(
          alice.token,
          'query($id:ID!){repository(id:$id){lastUpdatedAt health{state}}}',
          { id: repo.id },
        )
      ).data!.repository;
    /** Pretends the last backup was 10 days ago (alerts after 1 day): the repository is stale. */
    const makeStale = async (): Promise<Date> => {
      const old = new Date(Date.now() - 10 * DAY);
      await sql('update repositories set last_updated_at = ? where id = ?', [old, Number(repo.id)]);
      const em = hive.services.orm.em.fork() as Em;
      await hive.services.health.update(em, [Number(repo.id)]);
      return old;
    };

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'bh-maint-'));
      hive = await startTestHive({ dialect, env: { BORGHIVE_WATCH: 'true' } });
      alice = await hive.newUser('alice');
      repo = await createRepository(hive, alice.token, 'laptop');
      const set = await hive.gql(
        alice.token,
        'mutation($id:ID!,$i:UpdateRepositoryInput!){updateRepository(id:$id,input:$i){id}}',
        { id: repo.id, i: { alertAfterDays: 1 } },
      );
      assert.equal(set.errors, undefined, JSON.stringify(set.errors));
      await borg('init', '-e', 'none', repo.path);
      const source = join(work, 'source');
      await mkdir(source);
      await writeFile(join(source, 'big.bin'), randomBytes(4 * 2 ** 20));
      await borg('create', `${repo.path}::first`, source);
      await borg('create', `${repo.path}::second`, join(source, 'big.bin'));
      await borg('delete', `${repo.path}::first`);
      await eventually('the watcher saw the writes', async () => {
        const r = await fetchRepository(hive, alice.token, repo.id);
        return watchTypes(r).filter((t) => t === 'CLOSED').length >= 3 && !r.isOpen ? r : undefined;
      });
    });
    after(async () => {
      await hive?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('runMaintenance opens the window at its start and closes it at its end', async () => {
      const r = await hive.gql<{ runMaintenance: { id: string } }>(
        alice.token,
        'mutation($r:ID!){runMaintenance(repositoryId:$r,task:COMPACT){id}}',
        { r: repo.id },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      await hive.services.backupRuns.idle();
      const em = hive.services.orm.em.fork() as Em;
      const done = await em.findOneOrFail(BackupRun, { id: Number(r.data!.runMaintenance.id) });
      // this hive knows no host keys for its location: the run ends at once, but it did open and close
      assert.equal(done.state, BackupRunState.FAILED);
      const row = await em.findOneOrFail(Repository, { id: Number(repo.id) });
      assert.equal(row.maintenanceStartedAt?.getTime(), done.startedAt?.getTime());
      assert.equal(row.maintenanceFinishedAt?.getTime(), done.finishedAt?.getTime());
    });

    it('a real borg compact inside the window leaves lastUpdatedAt and the STALE state; a refresh too', async () => {
      const old = await makeStale();
      assert.equal((await health()).health.state, 'STALE');
      const mark = Number((await fetchRepository(hive, alice.token, repo.id)).events.at(-1)?.id ?? 0);
      // the window as a running COMPACT run opens it (the run itself needs a storage sshd: e2e/backup-pull)
      await sql(
        'update repositories set maintenance_started_at = ?, maintenance_finished_at = ? where id = ?',
        [new Date(), null, Number(repo.id)],
      );
      await borg('compact', repo.path);
      await borg('check', '--repository-only', repo.path);
      const seen = await eventually('the compaction’s commit and sessions reported', async () => {
        const r = await fetchRepository(hive, alice.token, repo.id);
        const types = watchTypes(r, mark);
        return types.includes('UPDATED') && types.filter((t) => t === 'CLOSED').length >= 2 && !r.isOpen
          ? r
          : undefined;
      });
      await sql('update repositories set maintenance_finished_at = ? where id = ?', [
        new Date(),
        Number(repo.id),
      ]);
      assert.equal(new Date(seen.lastUpdatedAt!).getTime(), old.getTime(), 'the compaction is not a backup');
      assert.equal((await health()).health.state, 'STALE');
      const refreshed = await hive.gql<{ refreshRepository: { lastUpdatedAt: string } }>(
        alice.token,
        'mutation($id:ID!){refreshRepository(id:$id){lastUpdatedAt}}',
        { id: repo.id },
      );
      assert.equal(refreshed.errors, undefined, JSON.stringify(refreshed.errors));
      assert.equal(
        new Date(refreshed.data!.refreshRepository.lastUpdatedAt).getTime(),
        old.getTime(),
        'reading the index from disk does not count it either',
      );
      assert.equal((await health()).health.state, 'STALE');
    });

    it('a backup after the window counts again', async () => {
      const before = Date.now();
      await borg('create', `${repo.path}::third`, join(work, 'source'));
      // the index is written before the lock is gone: until the watcher sees the session close, the
      // repository is IN_PROGRESS (borg create has returned, so that ends)
      const moved = await eventually('the backup moved lastUpdatedAt and its session closed', async () => {
        const r = await health();
        return r.lastUpdatedAt &&
          Date.parse(r.lastUpdatedAt) >= before - 1000 &&
          r.health.state !== 'IN_PROGRESS'
          ? r
          : undefined;
      });
      assert.equal(moved.health.state, 'OK');
    });
  });
}
