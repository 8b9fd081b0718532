import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, cliEnv, eventually, hiveMain } from '@borg-hive/server/testing';
import { startClientHost, type ClientHost } from './support/client-host.js';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { sshArgs } from './support/remote-client.js';
import { run } from './support/run.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

const PASSPHRASE = 'correct horse battery staple';
/** the task's own port range (43000-43999) */
const CHILD_PORT = 43117;

interface RunRow {
  state: string;
  message: string | null;
  run_key_id: number | null;
  process_groups: string | null;
  lease_owner: string | null;
  lease_until: Date | string | null;
  finished_at: Date | string | null;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * A hive in its own process runs a backup and is SIGKILLed mid-run. At its next start the run is
 * INTERRUPTED at once (its lease records host and pid: the hive knows the run was its own and that its
 * process is gone, without waiting for the lease), the leftover ssh is stopped, the run's temporary key
 * removed, the repository's lock released, and the next run succeeds.
 */
describe('a hive killed in the middle of a run', { skip: process.getuid?.() !== 0 }, () => {
  let rig: KeysRig;
  let client: ClientHost;
  let full: ClientKey;
  let repo: CreatedRepository;
  let jobId: string;
  let child: ChildProcess | null = null;
  const childUrl = `http://127.0.0.1:${CHILD_PORT}`;

  const ownerEnv = () => ({
    PATH: process.env.PATH,
    HOME: rig.dir,
    BORG_BASE_DIR: join(rig.dir, 'borg-owner'),
    BORG_RSH: ['ssh', ...sshArgs(full)].join(' '),
    BORG_PASSPHRASE: PASSPHRASE,
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
  });
  const owner = (args: string[]) => run('borg', args, { cwd: rig.dir, env: ownerEnv() });
  const sql = async <T>(query: string, params: unknown[]) =>
    (await rig.hive.services.orm.em.fork().getConnection().execute(query, params)) as T;
  const runRow = async (id: string) =>
    (await sql<RunRow[]>('select * from backup_runs where id = ?', [Number(id)]))[0]!;

  /** `borg-hive serve` in its own process on the rig's database, repo path and storage sshd. */
  const startChild = async (): Promise<string> => {
    const config = rig.hive.config;
    child = spawn(process.execPath, [hiveMain, 'serve'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...cliEnv(config, {
          BORGHIVE_PORT: String(CHILD_PORT),
          BORGHIVE_SECRET_KEY_FILE: config.secretKeyFile,
          BORGHIVE_ADMIN_PASSWORD: ADMIN_PASSWORD,
          BORGHIVE_ACCOUNTS: 'local',
          BORGHIVE_REPO_GID: '100',
          BORGHIVE_WATCH: 'false',
          BORGHIVE_SSH_HOST: '127.0.0.1',
          BORGHIVE_SSH_PORT: String(rig.sshd.port),
          BORGHIVE_SSH_HOST_KEYS_FILE: rig.sshd.hostKeyFile,
        }),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    return eventually(
      'the child hive answers',
      async () => {
        if (child?.exitCode !== null) throw new Error(`the child hive exited: ${stderr}`);
        const res = await fetch(`${childUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}',
            variables: { u: 'admin', p: ADMIN_PASSWORD },
          }),
        }).catch(() => null);
        if (!res?.ok) return undefined;
        const body = (await res.json()) as { data?: { login?: { token: string } } };
        return body.data?.login?.token;
      },
      60_000,
    );
  };
  const childGql = async <T>(token: string, query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${childUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: T; errors?: unknown[] };
  };
  const stopChild = async (signal: NodeJS.Signals) => {
    const proc = child;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill(signal);
    await exited;
  };

  before(async () => {
    rig = await startKeysRig({ dialect: 'mariadb' });
    const admin = rig.hive.adminToken;
    client = await startClientHost(rig.dir);
    full = await makeClientKey(rig.dir, 'owner');
    const fullId = await rig.api.addSshKey(admin, 'owner laptop', full.publicKey);
    repo = await rig.createRepository({ name: 'killed', sshKeyIds: [fullId] });
    const init = await owner(['init', '--encryption=repokey', repo.url]);
    assert.equal(init.code, 0, init.stderr);
    // enough random data that the run is still writing when the hive is killed
    for (let i = 0; i < 40; i++) await client.writeFile(`data/blob-${i}.bin`, randomBytes(4 * 2 ** 20));
    const registered = await rig.hive.gql<{ createBackupClient: { id: string; authorizedKeysLine: string } }>(
      admin,
      'mutation($i:BackupClientInput!){createBackupClient(input:$i){id authorizedKeysLine}}',
      {
        i: {
          name: 'laptop',
          host: '127.0.0.1',
          port: client.sshd.port,
          user: client.user,
          hostKeyFingerprint: client.hostKeyFingerprint,
        },
      },
    );
    assert.equal(registered.errors, undefined, JSON.stringify(registered.errors));
    await client.authorize([registered.data!.createBackupClient.authorizedKeysLine]);
    const job = await rig.hive.gql<{ createBackupJob: { id: string } }>(
      admin,
      'mutation($i:BackupJobInput!){createBackupJob(input:$i){id}}',
      {
        i: {
          name: 'home',
          clientId: registered.data!.createBackupClient.id,
          repositoryId: repo.id,
          paths: [join(client.home, 'data')],
          passphrase: PASSPHRASE,
          archiveNamePattern: 'laptop-{now:%Y%m%d%H%M%S}',
        },
      },
    );
    assert.equal(job.errors, undefined, JSON.stringify(job.errors));
    jobId = job.data!.createBackupJob.id;
  });
  after(async () => {
    await stopChild('SIGTERM');
    await client?.dispose();
    await rig?.dispose();
  });

  test('SIGKILL mid-run: INTERRUPTED at the next start, key and lock gone, the next run succeeds', async () => {
    const token = await startChild();
    const started = await childGql<{ runBackupJob: { id: string; state: string } }>(
      token,
      'mutation($id:ID!){runBackupJob(id:$id){id state}}',
      { id: jobId },
    );
    assert.equal(started.errors, undefined, JSON.stringify(started.errors));
    const runId = started.data!.runBackupJob.id;
    const lock = join(repo.path, 'lock.exclusive');
    // borg is writing: the run's key is in place, its ssh recorded, the repository locked by borg serve
    const running = await eventually(
      'the run writes into the repository',
      async () => {
        const row = await runRow(runId);
        if (row.state !== 'RUNNING') throw new Error(`the run ended before the kill: ${row.message}`);
        return row.run_key_id !== null && row.process_groups !== null && (await exists(lock))
          ? row
          : undefined;
      },
      120_000,
    );
    assert.match(
      running.lease_owner ?? '',
      new RegExp(` ${child!.pid} [0-9a-f-]{36}$`),
      'host, pid, instance',
    );
    const leaseAtKill = new Date(running.lease_until!);
    const runKeyId = running.run_key_id!;

    await stopChild('SIGKILL');
    await startChild();
    const after = await eventually(
      'the restarted hive found the run of its dead process',
      async () => {
        const row = await runRow(runId);
        return row.state === 'RUNNING' ? undefined : row;
      },
      60_000,
    );
    assert.equal(after.state, 'INTERRUPTED', after.message ?? '');
    assert.match(after.message ?? '', /interrupted/);
    assert.ok(
      new Date(after.finished_at!) < leaseAtKill,
      `known dead at ${String(after.finished_at)}, before its lease ran out at ${leaseAtKill.toISOString()}`,
    );
    assert.equal(after.run_key_id, null);
    const keys = await sql<unknown[]>('select id from ssh_keys where id = ?', [runKeyId]);
    assert.deepEqual(keys, [], 'the temporary key is removed');
    assert.deepEqual(
      (await readdir(tmpdir())).filter((f) => f.startsWith(`bh-run-${runId}-`)),
      [],
      'the dead hive’s run directory (its key, agent socket) is removed',
    );
    await eventually(
      'the repository lock is released',
      async () => ((await exists(lock)) ? undefined : true),
      60_000,
    );
    const pids = (running.process_groups ?? '').split(' ').slice(1).map(Number);
    await eventually(
      'the dead hive’s ssh is stopped',
      async () => {
        const alive = pids.filter((pid) => {
          try {
            process.kill(pid, 0);
            return true;
          } catch {
            return false;
          }
        });
        return alive.length === 0 ? true : undefined;
      },
      30_000,
    );

    const token2 = await (async () => {
      const res = await fetch(`${childUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}',
          variables: { u: 'admin', p: ADMIN_PASSWORD },
        }),
      });
      return ((await res.json()) as { data: { login: { token: string } } }).data.login.token;
    })();
    const next = await childGql<{ runBackupJob: { id: string } }>(
      token2,
      'mutation($id:ID!){runBackupJob(id:$id){id}}',
      { id: jobId },
    );
    assert.equal(next.errors, undefined, JSON.stringify(next.errors));
    const done = await eventually(
      'the next run ends',
      async () => {
        const row = await runRow(next.data!.runBackupJob.id);
        return ['QUEUED', 'RUNNING'].includes(row.state) ? undefined : row;
      },
      300_000,
    );
    assert.equal(done.state, 'SUCCEEDED', done.message ?? '');
    const list = await owner(['list', '--short', repo.url]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(
      list.stdout.split('\n').filter((l) => l.startsWith('laptop-')).length >= 1,
      true,
      list.stdout,
    );
    const check = await owner(['check', '--repository-only', repo.url]);
    assert.equal(check.code, 0, check.stderr);
  });
});
