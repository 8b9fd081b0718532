import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { SystemProcessRunner } from '../../adapters/process/process-runner.js';
import type { Em } from '../../db/orm.js';
import { dialects } from '../../test-support/databases.js';
import { eventually } from '../../test-support/eventually.js';
import { createRepo, createToken, defaultLocationId, fetchBackupRun } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { Repository } from '../repository/index.js';
import { startAgent, type RunningAgent } from './agent.js';

const exec = promisify(execFile);
type Run = {
  id: string;
  state: string;
  exitCode: number | null;
  message: string | null;
  finishedAt: string | null;
};

/** Every entry under `dir` whose owner is not `uid` (borg run as root would leave such files). */
async function notOwnedBy(dir: string, uid: number): Promise<string[]> {
  const wrong: string[] = [];
  for (const entry of await readdir(dir, { recursive: true })) {
    if ((await lstat(join(dir, entry))).uid !== uid) wrong.push(entry);
  }
  return wrong;
}

/**
 * `borg-hive agent` runs the maintenance the hive queues for its location (#11): a real agent against a real
 * hive runs a real borg 1 compact and break-lock on a repository made with borg, as the repository's owner.
 */
for (const dialect of dialects) {
  describe(`borg-hive agent runs maintenance on its node (real borg 1) on ${dialect}`, () => {
    let hive: TestHive;
    let agent: RunningAgent;
    let work: string;
    let repo: { id: string; path: string; uid: number };
    const borg = (...args: string[]) =>
      exec('borg', args, {
        env: {
          ...process.env,
          BORG_BASE_DIR: work,
          BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
          BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
        },
      });
    const maintain = async (task: string): Promise<Run> => {
      const r = await hive.gql<{ runMaintenance: Run }>(
        hive.adminToken,
        'mutation($r:ID!,$t:MaintenanceTask!){runMaintenance(repositoryId:$r,task:$t){id state}}',
        { r: repo.id, t: task },
      );
      assert.ok(r.data?.runMaintenance, JSON.stringify(r.errors));
      return r.data.runMaintenance;
    };
    const ended = (id: string) =>
      eventually(`run ${id} ended`, async () => {
        const run = await fetchBackupRun<Run>(hive, id, 'id state exitCode message finishedAt');
        return ['QUEUED', 'RUNNING'].includes(run.state) ? undefined : run;
      });
    const segments = async () => (await readdir(join(repo.path, 'data', '0'))).sort();

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'bh-agent-maint-'));
      hive = await startTestHive({ dialect, overrides: { jobs: false } });
      const made = await createRepo(hive, hive.adminToken, { name: 'compactme' });
      repo = { id: made.id, path: made.path, uid: made.uid };
      await borg('init', '-e', 'none', repo.path);
      const source = join(work, 'source');
      await mkdir(source);
      await writeFile(join(source, 'big.bin'), randomBytes(2 * 2 ** 20));
      await borg('create', `${repo.path}::first`, source);
      await writeFile(join(source, 'other.bin'), randomBytes(2 * 2 ** 20));
      await borg('create', `${repo.path}::second`, join(source, 'other.bin'));
      await borg('delete', `${repo.path}::first`);
      // as a client through sshd would have left it: the repository's user owns every file
      await exec('chown', ['-R', `${repo.uid}:${repo.uid}`, repo.path]);
      // the owner reaches its directory: the hive's data dir (0700 from mkdtemp) and the user's directory
      for (const dir of [hive.config.dataDir, join(repo.path, '..')]) await chmod(dir, 0o755);
      const token = await createToken(
        hive,
        hive.adminToken,
        'AGENT',
        'this node',
        await defaultLocationId(hive),
      );
      agent = await startAgent({
        repoPath: hive.config.repoPath,
        apiUrl: hive.url,
        token,
        outboxFile: null,
        logger: pino({ level: 'silent' }),
        runner: new SystemProcessRunner(hive.config.backup.childPath),
        maintenancePollMs: 250,
      });
      await eventually('the agent called in', async () => {
        const l = await hive.gql<{ locations: { agentSeenAt: string | null }[] }>(
          hive.adminToken,
          '{locations{agentSeenAt}}',
        );
        return l.data?.locations[0]?.agentSeenAt ?? undefined;
      });
    });
    after(async () => {
      await agent?.stop();
      await hive?.dispose();
      await rm(work, { recursive: true, force: true });
    });

    it('COMPACT: queued by the hive, run by the agent as the repository’s owner, reported', async () => {
      const before = await segments();
      const queued = await maintain('COMPACT');
      assert.equal(queued.state, 'QUEUED');
      const run = await ended(queued.id);
      assert.deepEqual([run.state, run.exitCode, run.message], ['SUCCEEDED', 0, 'compact succeeded']);
      assert.notDeepEqual(
        await segments(),
        before,
        'borg compact rewrote the segment of the deleted archive',
      );
      assert.deepEqual(await notOwnedBy(repo.path, repo.uid), [], 'no file of root in the repository');
      const row = await (hive.services.orm.em.fork() as Em).findOneOrFail(Repository, {
        id: Number(repo.id),
      });
      assert.equal(
        row.maintenanceFinishedAt?.toISOString(),
        run.finishedAt,
        'the window closed with the run',
      );
      const check = await ended((await maintain('CHECK')).id);
      assert.deepEqual([check.state, check.exitCode], ['SUCCEEDED', 0]);
    });

    it('BREAK_LOCK: refused while a live borg holds the lock, done once the lock is stale', async () => {
      // a borg that keeps the repository locked (with-lock around a sleep), as the owner as a client's would be
      const home = await mkdtemp(join(tmpdir(), 'bh-holder-'));
      await exec('chown', [`${repo.uid}:${repo.uid}`, home]);
      const holder = spawn('borg', ['with-lock', repo.path, 'sleep', '60'], {
        env: { ...process.env, HOME: home, BORG_BASE_DIR: home, BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes' },
        cwd: home,
        uid: repo.uid,
        gid: repo.uid,
        stdio: 'ignore',
      });
      try {
        await eventually('the lock taken', async () =>
          (await lstat(join(repo.path, 'lock.roster')).catch(() => null)) ? true : undefined,
        );
        const refused = await ended((await maintain('BREAK_LOCK')).id);
        assert.equal(refused.state, 'FAILED');
        assert.match(refused.message ?? '', /a session of repository compactme is open/);
        assert.ok(await lstat(join(repo.path, 'lock.roster')), 'the live lock stays');
      } finally {
        holder.kill('SIGKILL'); // borg dies with its lock in place: stale
        await new Promise((done) => holder.once('exit', done));
        await rm(home, { recursive: true, force: true });
      }
      const broken = await ended((await maintain('BREAK_LOCK')).id);
      assert.deepEqual([broken.state, broken.exitCode], ['SUCCEEDED', 0], broken.message ?? '');
      assert.equal(
        await lstat(join(repo.path, 'lock.roster')).catch(() => null),
        null,
        'the stale lock is gone',
      );
      await borg('list', repo.path); // borg works on the repository again
    });
  });
}
