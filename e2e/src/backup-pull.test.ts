import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eventually, openSocket, type LiveSocket } from '@borg-hive/server/testing';
import { startClientHost, type ClientHost } from './support/client-host.js';
import type { CreatedRepository } from './support/hive-api.js';
import { startKeysRig, type KeysRig } from './support/keys-rig.js';
import { sshArgs } from './support/remote-client.js';
import { run } from './support/run.js';
import { makeClientKey, type ClientKey } from './support/ssh-keys.js';

const PASSPHRASE = 'correct horse battery staple';

interface RunView {
  id: string;
  state: string;
  exitCode: number | null;
  archiveName: string | null;
  message: string | null;
  log: string;
  statistics: string | null;
  progress: { originalBytes: number; files: number; currentPath: string | null } | null;
}
const RUN_FIELDS =
  'id state exitCode archiveName message log statistics progress { originalBytes files currentPath }';

describe(
  'pull-mode backups: the hive runs borg on a client over ssh',
  { skip: process.getuid?.() !== 0 },
  () => {
    let rig: KeysRig;
    let client: ClientHost;
    let admin: string;
    let full: ClientKey;
    let repo: CreatedRepository;
    let socket: LiveSocket;
    let clientId: string;
    const originals = new Map<string, Buffer>();
    let hook: Server;
    /** webhook path → the events delivered to it, in order */
    const hooked: Record<string, string[]> = {};

    /** borg as the repository's owner with the full-access key (the auditor's view). */
    const ownerEnv = () => ({
      PATH: process.env.PATH,
      HOME: rig.dir,
      BORG_BASE_DIR: join(rig.dir, 'borg-owner'),
      BORG_RSH: ['ssh', ...sshArgs(full)].join(' '),
      BORG_PASSPHRASE: PASSPHRASE,
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    });
    const owner = (args: string[], cwd = rig.dir) => run('borg', args, { cwd, env: ownerEnv() });
    const gql = async <T>(query: string, variables?: Record<string, unknown>) =>
      rig.hive.gql<T>(admin, query, variables);
    const waitRun = async (id: string): Promise<RunView> => {
      for (;;) {
        const r = await gql<{ backupRun: RunView }>(`query($id:ID!){backupRun(id:$id){${RUN_FIELDS}}}`, {
          id,
        });
        const view = r.data!.backupRun;
        if (!['QUEUED', 'RUNNING'].includes(view.state)) return view;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };

    const createJob = async (input: Record<string, unknown>): Promise<string> => {
      const r = await gql<{ createBackupJob: { id: string } }>(
        'mutation($i:BackupJobInput!){createBackupJob(input:$i){id}}',
        {
          i: { clientId, repositoryId: repo.id, passphrase: PASSPHRASE, ...input },
        },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.createBackupJob.id;
    };
    const startRun = async (jobId: string): Promise<string> => {
      const r = await gql<{ runBackupJob: RunView }>(
        `mutation($id:ID!){runBackupJob(id:$id){${RUN_FIELDS}}}`,
        { id: jobId },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      return r.data!.runBackupJob.id;
    };
    const runJob = async (input: Record<string, unknown>): Promise<RunView> =>
      waitRun(await startRun(await createJob(input)));
    const sql = (query: string, params: unknown[]) =>
      rig.hive.services.orm.em.fork().getConnection().execute(query, params);

    before(async () => {
      // the channels' webhook receiver is on loopback
      rig = await startKeysRig({ env: { BORGHIVE_OUTBOUND_ALLOW: '127.0.0.1/32' } });
      hook = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          const event = (JSON.parse(body) as { event?: string }).event ?? '';
          (hooked[req.url ?? ''] ??= []).push(event);
          res.end('ok');
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      admin = rig.hive.adminToken;
      client = await startClientHost(rig.dir);
      full = await makeClientKey(rig.dir, 'owner');
      const fullId = await rig.api.addSshKey(admin, 'owner laptop', full.publicKey);
      repo = await rig.createRepository({ name: 'pulled', sshKeyIds: [fullId] });
      const init = await owner(['init', '--encryption=repokey', repo.url]);
      assert.equal(init.code, 0, init.stderr);
      // real files on the client: small text, random blobs (so borg reports progress on the way)
      originals.set('data/notes.txt', Buffer.from('pulled by the hive\n'));
      for (let i = 0; i < 12; i++) originals.set(`data/blob-${i}.bin`, randomBytes(2 * 2 ** 20));
      for (const [path, data] of originals) await client.writeFile(path, data);
      socket = await openSocket(rig.hive.url, admin);
      const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
      for (const [name, rules] of [
        ['defaults', undefined],
        ['runs', { events: ['RUN_FAILED', 'RUN_SUCCEEDED'] }],
      ] as const) {
        const channel = await gql<unknown>(
          'mutation($i:NotificationChannelInput!){createNotificationChannel(input:$i){id}}',
          {
            i: {
              name,
              kind: 'WEBHOOK',
              settings: { url: `${hookUrl}/${name}` },
              repositoryIds: [repo.id],
              ...(rules ? { rules } : {}),
            },
          },
        );
        assert.equal((channel as { errors?: unknown }).errors, undefined, JSON.stringify(channel));
      }
    });
    after(async () => {
      hook?.close();
      await socket?.close();
      await client?.dispose();
      await rig?.dispose();
    });

    test('a client that does not answer is refused and nothing is saved', async () => {
      const r = await gql<unknown>('mutation($i:BackupClientInput!){createBackupClient(input:$i){id}}', {
        i: { name: 'nowhere', host: '127.0.0.1', port: 9, user: client.user },
      });
      assert.equal(r.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(JSON.stringify(r.errors), /does not answer/);
      const wrong = await gql<unknown>('mutation($i:BackupClientInput!){createBackupClient(input:$i){id}}', {
        i: {
          name: 'wrong key',
          host: '127.0.0.1',
          port: client.sshd.port,
          user: client.user,
          hostKeyFingerprint: `SHA256:${'A'.repeat(43)}`,
        },
      });
      assert.equal(wrong.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(
        JSON.stringify(wrong.errors),
        new RegExp(client.hostKeyFingerprint.replace(/[+/]/g, '\\$&')),
      );
      const list = await gql<{ backupClients: unknown[] }>('{backupClients{id}}');
      assert.deepEqual(list.data!.backupClients, []);
    });

    test('a registered client pins the host key and offers one restricted authorized_keys line', async () => {
      const r = await gql<{
        createBackupClient: {
          id: string;
          hostKeyFingerprint: string;
          authorizedKeysLine: string;
          publicKey: string;
        };
      }>(
        'mutation($i:BackupClientInput!){createBackupClient(input:$i){id hostKeyFingerprint authorizedKeysLine publicKey}}',
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
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      const created = r.data!.createBackupClient;
      assert.equal(created.hostKeyFingerprint, client.hostKeyFingerprint);
      assert.match(
        created.authorizedKeysLine,
        /^restrict,agent-forwarding,port-forwarding ssh-ed25519 \S+ borg-hive@laptop$/,
      );
      assert.doesNotMatch(JSON.stringify(r.data), /PRIVATE KEY/);
      clientId = created.id;
      await client.authorize([created.authorizedKeysLine]);
      const locations = await gql<{ locations: { hostKeyFingerprints: string[] }[] }>(
        '{locations{hostKeyFingerprints}}',
      );
      const storageFingerprint = (
        await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', rig.sshd.hostKeyFile])
      ).stdout.split(' ')[1];
      assert.deepEqual(locations.data!.locations[0]!.hostKeyFingerprints, [storageFingerprint]);
    });

    test('AGENT_FORWARDING: a run backs up the files, live progress arrives, the run key is gone after', async () => {
      const job = await gql<{ createBackupJob: { id: string; hasPassphrase: boolean } }>(
        'mutation($i:BackupJobInput!){createBackupJob(input:$i){id hasPassphrase}}',
        {
          i: {
            name: 'home',
            clientId,
            repositoryId: repo.id,
            paths: [join(client.home, 'data')],
            excludes: ['*.tmp'],
            passphrase: PASSPHRASE,
            archiveNamePattern: 'laptop-{now:%Y%m%d%H%M%S}',
          },
        },
      );
      assert.equal(job.errors, undefined, JSON.stringify(job.errors));
      assert.equal(job.data!.createBackupJob.hasPassphrase, true);
      const live = await socket.subscribe<{ backupRunChanged: RunView }>(
        `subscription{backupRunChanged{${RUN_FIELDS}}}`,
      );
      const started = await gql<{ runBackupJob: RunView }>(
        `mutation($id:ID!){runBackupJob(id:$id){${RUN_FIELDS}}}`,
        {
          id: job.data!.createBackupJob.id,
        },
      );
      assert.equal(started.errors, undefined, JSON.stringify(started.errors));
      assert.equal(started.data!.runBackupJob.state, 'RUNNING');
      const done = await waitRun(started.data!.runBackupJob.id);
      assert.equal(
        done.state,
        'SUCCEEDED',
        `${done.message}\n${done.log}\n--- storage sshd:\n${await rig.sshd.readLog()}`,
      );
      assert.equal(done.exitCode, 0);
      assert.match(done.archiveName ?? '', /^laptop-\d{14}$/);
      const stats = JSON.parse(done.statistics!) as { archive: { stats: { nfiles: number } } };
      assert.equal(stats.archive.stats.nfiles, originals.size);

      // the progress arrived over graphql-ws while it ran, and the final state after
      await live.waitFor((m) => m.backupRunChanged.state === 'SUCCEEDED');
      const running = live.received.map((m) => m.backupRunChanged).filter((v) => v.state === 'RUNNING');
      // a fast run may end inside the first throttle window: its progress then names the path, not yet bytes
      assert.ok(
        running.some(
          (v) =>
            v.progress !== null &&
            (v.progress.originalBytes > 0 || (v.progress.currentPath ?? '').length > 0),
        ),
        JSON.stringify(running),
      );
      await live.close();

      // the owner's full-access key sees the archive and restores it byte for byte
      const list = await owner(['list', '--short', repo.url]);
      assert.equal(list.stdout.trim(), done.archiveName, list.stderr);
      const restore = join(rig.dir, 'restore');
      await mkdir(restore);
      const extract = await owner(['extract', `${repo.url}::${done.archiveName}`], restore);
      assert.equal(extract.code, 0, extract.stderr);
      for (const [path, data] of originals) {
        assert.deepEqual(await readFile(join(restore, client.home.slice(1), path)), data, path);
      }

      // the run's key opened the repository append-only through borg-hive-keys, and no longer does
      const log = await rig.sshd.readLog();
      const accepted = new RegExp(`Accepted publickey for ${repo.repoUser} .* ED25519 (SHA256:\\S+)`, 'g');
      const fingerprints = [...log.matchAll(accepted)]
        .map((m) => m[1]!)
        .filter((f) => f !== full.fingerprint);
      assert.equal(fingerprints.length > 0, true, log);
      assert.match(log, /forced-command \(key-option\) 'borg serve --umask 007 --append-only /);
      for (const fingerprint of fingerprints) {
        const lines = await gql<{ authorizedKeys: string[] }>(
          'query($u:String!,$f:String){authorizedKeys(user:$u,fingerprint:$f)}',
          { u: repo.repoUser, f: fingerprint },
        );
        assert.deepEqual(lines.data!.authorizedKeys, [], 'the run key is no longer served');
      }
      const keys = await gql<{ sshKeys: { name: string }[] }>('{sshKeys{name}}');
      assert.deepEqual(
        keys.data!.sshKeys.map((k) => k.name),
        ['owner laptop'],
      );
    });

    test('SOCKET_FORWARDING: borg reaches the storage node through a forwarded socket; sockets are removed after', async () => {
      const job = await createJob({
        name: 'via socket',
        method: 'SOCKET_FORWARDING',
        paths: [join(client.home, 'data')],
        archiveNamePattern: 'socket-{now:%Y%m%d%H%M%S}',
      });
      const live = await socket.subscribe<{ backupRunChanged: RunView }>(
        `subscription{backupRunChanged{${RUN_FIELDS}}}`,
      );
      const done = await waitRun(await startRun(job));
      assert.equal(
        done.state,
        'SUCCEEDED',
        `${done.message}\n${done.log}\n--- client sshd:\n${await client.sshd.readLog()}`,
      );
      assert.match(done.archiveName ?? '', /^socket-\d{14}$/);
      await live.waitFor(
        (m) => m.backupRunChanged.id === done.id && m.backupRunChanged.state === 'SUCCEEDED',
      );
      assert.ok(
        live.received.some((m) => m.backupRunChanged.id === done.id && m.backupRunChanged.progress !== null),
      );
      await live.close();

      const restore = join(rig.dir, 'restore-socket');
      await mkdir(restore);
      const extract = await owner(['extract', `${repo.url}::${done.archiveName}`], restore);
      assert.equal(extract.code, 0, extract.stderr);
      for (const [path, data] of originals) {
        assert.deepEqual(await readFile(join(restore, client.home.slice(1), path)), data, path);
      }
      // the client's forwarded socket and the hive's run directory (its socket, keys) are gone
      assert.deepEqual(
        (await readdir('/tmp')).filter(
          (f) => /^borg-hive-[0-9a-f]+\.sock$/.test(f) || f.startsWith(`bh-run-${done.id}-`),
        ),
        [],
      );
      const keys = await gql<{ sshKeys: { name: string }[] }>('{sshKeys{name}}');
      assert.deepEqual(
        keys.data!.sshKeys.map((k) => k.name),
        ['owner laptop'],
      );
      assert.match(
        await rig.sshd.readLog(),
        /forced-command \(key-option\) 'borg serve --umask 007 --append-only /,
      );
    });

    test('retention: borg prune on the client keeps what it says, and only the archives of that job', async () => {
      const before = (await owner(['list', '--short', repo.url])).stdout.split('\n').filter(Boolean);
      const job = await createJob({
        name: 'pruned',
        paths: [join(client.home, 'data/notes.txt')],
        archiveNamePattern: 'kept-{now:%Y%m%d%H%M%S%f}',
        retention: { keepDaily: 1 },
      });
      for (let i = 0; i < 2; i++) {
        const done = await waitRun(await startRun(job));
        assert.equal(done.state, 'SUCCEEDED', `${done.message}\n${done.log}`);
        assert.match(done.log, /--- prune \(keepDaily 1\)/);
      }
      const after = (await owner(['list', '--short', repo.url])).stdout.split('\n').filter(Boolean);
      assert.equal(after.filter((a) => a.startsWith('kept-')).length, 1, after.join(' '));
      assert.deepEqual(
        after.filter((a) => !a.startsWith('kept-')),
        before,
        'other archives are untouched',
      );
    });

    test("a wrong passphrase fails with borg's message and exit code", async () => {
      const run = await runJob({
        name: 'wrong pass',
        paths: [join(client.home, 'data')],
        passphrase: 'not it',
      });
      assert.equal(run.state, 'FAILED', run.log);
      assert.equal(run.exitCode, 2);
      assert.match(run.message ?? '', /passphrase .*incorrect/i);
    });

    test("a path that does not exist on the client shows borg's own message on the run", async () => {
      const run = await runJob({ name: 'missing path', paths: [join(client.home, 'no-such-dir')] });
      assert.match(`${run.message}\n${run.log}`, /no-such-dir: \[Errno 2\] No such file or directory/);
    });

    test("a locked repository fails the run with borg's lock message", async () => {
      const holder = spawn('borg', ['with-lock', repo.url, 'sleep', '120'], {
        env: ownerEnv(),
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      let held = false;
      for (let i = 0; i < 1200 && !held; i++) {
        held = (await run('test', ['-e', join(repo.path, 'lock.exclusive')])).code === 0;
        if (!held) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(held, 'the lock holder took the lock');
      const locked = await runJob({ name: 'locked', paths: [join(client.home, 'data/notes.txt')] });
      holder.kill('SIGTERM');
      await exited;
      assert.equal(locked.state, 'FAILED', locked.log);
      assert.match(`${locked.message}\n${locked.log}`, /lock/i);
    });

    test('an unreachable client and a changed host key are explicit failures', async () => {
      const changed = await gql<{ createBackupClient: { id: string } }>(
        'mutation($i:BackupClientInput!){createBackupClient(input:$i){id}}',
        { i: { name: 'same host', host: '127.0.0.1', port: client.sshd.port, user: client.user } },
      );
      assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
      const otherId = changed.data!.createBackupClient.id;
      // the pinned key is replaced by another one, as if another machine now answered at that address
      const other = await makeClientKey(rig.dir, 'impostor-host');
      await sql('update backup_clients set host_key = ?, host_key_fingerprint = ? where id = ?', [
        `${other.type} ${other.base64}`,
        other.fingerprint,
        Number(otherId),
      ]);
      const refused = await runJob({
        name: 'host key',
        clientId: otherId,
        paths: [join(client.home, 'data')],
      });
      assert.equal(refused.state, 'FAILED');
      assert.ok(
        refused.message?.includes(`not the pinned one (${other.fingerprint}): refused`),
        refused.message ?? '',
      );

      await sql('update backup_clients set port = 9 where id = ?', [Number(otherId)]);
      const down = await runJob({ name: 'down', clientId: otherId, paths: ['/x'] });
      assert.equal(down.state, 'FAILED');
      assert.match(down.message ?? '', /client unreachable/);
    });

    test('cancel stops the remote borg; the repository stays usable and the next run succeeds', async () => {
      const big = await createJob({ name: 'big', paths: ['/usr'], compression: 'zstd,10' });
      const live = await socket.subscribe<{ backupRunChanged: RunView }>(
        `subscription{backupRunChanged{${RUN_FIELDS}}}`,
      );
      const id = await startRun(big);
      await live.waitFor(
        (m) => m.backupRunChanged.id === id && (m.backupRunChanged.progress?.files ?? 0) > 0,
        60_000,
      );
      const cancelled = await gql<{ cancelBackupRun: RunView }>(
        `mutation($id:ID!){cancelBackupRun(id:$id){${RUN_FIELDS}}}`,
        {
          id,
        },
      );
      assert.equal(cancelled.errors, undefined, JSON.stringify(cancelled.errors));
      assert.equal(cancelled.data!.cancelBackupRun.state, 'CANCELLED', cancelled.data!.cancelBackupRun.log);
      await live.close();
      const check = await owner(['check', '--repository-only', repo.url]);
      assert.equal(check.code, 0, check.stderr);
      const again = await runJob({ name: 'after cancel', paths: [join(client.home, 'data/notes.txt')] });
      assert.equal(again.state, 'SUCCEEDED', `${again.message}\n${again.log}`);
    });

    test('alerts: a failed run is FAILED once per incident, the success after it RECOVERED; RUN_* only where asked for', async () => {
      // by now: successes, then failures (passphrase, lock, host), a cancel, a success. The hive's own record of
      // the finished backups says what each channel must have received, in order: every run on `runs`, and on
      // `defaults` a FAILED where a success was followed by a failure, a RECOVERED where a failure by a success
      const settled = (
        (await sql("select state from backup_runs where kind = 'BACKUP' order by id", [])) as {
          state: string;
        }[]
      )
        .map((r) => r.state)
        .filter((state) => state === 'SUCCEEDED' || state === 'FAILED');
      const expectedRuns = settled.map((state) => `RUN_${state}`);
      const expectedDefaults = settled.flatMap((state, i) =>
        state !== (settled[i - 1] ?? 'SUCCEEDED') ? [state === 'FAILED' ? 'FAILED' : 'RECOVERED'] : [],
      );
      assert.ok(
        expectedRuns.filter((e) => e === 'RUN_FAILED').length >= 3,
        `the tests before failed runs: ${settled.join(' ')}`,
      );
      assert.equal(settled.at(-1), 'SUCCEEDED');
      const delivered = await eventually(
        'the deliveries of every finished run',
        async () => {
          const defaults = hooked['/defaults'] ?? [];
          const runs = hooked['/runs'] ?? [];
          return runs.length >= expectedRuns.length && defaults.length >= expectedDefaults.length
            ? { defaults: [...defaults], runs: [...runs] }
            : undefined;
        },
        120_000,
      );
      // RUN_* only where asked for; each incident is one FAILED and one RECOVERED, failures in a row repeat
      // no FAILED
      assert.deepEqual(delivered.runs, expectedRuns);
      assert.deepEqual(delivered.defaults, expectedDefaults);
      assert.ok(
        expectedDefaults.filter((e) => e === 'FAILED').length <
          expectedRuns.filter((e) => e === 'RUN_FAILED').length,
        `fewer incidents than failed runs: ${JSON.stringify(delivered)}`,
      );
    });

    test('maintenance without the borg key: COMPACT frees deleted archives, CHECK passes, BREAK_LOCK refuses an open session', async () => {
      const maintain = async (task: string) => {
        const r = await gql<{ runMaintenance: RunView }>(
          `mutation($r:ID!,$t:MaintenanceTask!){runMaintenance(repositoryId:$r,task:$t){${RUN_FIELDS}}}`,
          { r: repo.id, t: task },
        );
        return r;
      };
      const health = async () =>
        (
          await gql<{ repository: { health: { state: string; since: string | null } } }>(
            'query($id:ID!){repository(id:$id){health{state since}}}',
            { id: repo.id },
          )
        ).data!.repository.health;
      const bulk = join(rig.dir, 'bulk');
      await mkdir(bulk);
      await writeFile(join(bulk, 'big.bin'), randomBytes(24 * 2 ** 20));
      assert.equal((await owner(['create', `${repo.url}::bulk`, 'bulk'])).code, 0);
      assert.equal((await owner(['delete', `${repo.url}::bulk`])).code, 0);
      const size = async () =>
        Number((await run('du', ['-sb', join(repo.path, 'data')])).stdout.split('\t')[0]);
      const before = await size();
      // this hive does not watch: a refresh reads the last commit from disk (the owner's create and delete)
      const lastUpdated = async () =>
        (
          await gql<{ refreshRepository: { lastUpdatedAt: string | null } }>(
            'mutation($id:ID!){refreshRepository(id:$id){lastUpdatedAt}}',
            { id: repo.id },
          )
        ).data!.refreshRepository.lastUpdatedAt;
      const updatedBefore = await lastUpdated();
      const healthBefore = await health();

      const compact = await maintain('COMPACT');
      assert.equal(compact.errors, undefined, JSON.stringify(compact.errors));
      const compacted = await waitRun(compact.data!.runMaintenance.id);
      assert.equal(compacted.state, 'SUCCEEDED', `${compacted.message}\n${compacted.log}`);
      assert.ok(before - (await size()) > 20 * 2 ** 20, `freed ${before - (await size())} bytes`);
      assert.deepEqual(await health(), healthBefore, 'a compaction is not a backup');

      const check = await waitRun((await maintain('CHECK')).data!.runMaintenance.id);
      assert.equal(check.state, 'SUCCEEDED', `${check.message}\n${check.log}`);
      // the compaction's commit (a new index.N) read from disk does not move the last backup either
      assert.equal(await lastUpdated(), updatedBefore, 'compaction and check are not backups');

      // the watcher reports the session (here set by hand: this hive does not watch); the lock is alive
      const holder = spawn('borg', ['with-lock', repo.url, 'sleep', '120'], {
        env: ownerEnv(),
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      for (let i = 0; i < 1200; i++) {
        if ((await run('test', ['-e', join(repo.path, 'lock.exclusive')])).code === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await sql('update repositories set is_open = ? where id = ?', [true, Number(repo.id)]);
      const refused = await maintain('BREAK_LOCK');
      assert.equal(refused.errors?.[0]?.extensions?.code, 'CONFLICT', JSON.stringify(refused));
      holder.kill('SIGTERM');
      await exited;
      await sql('update repositories set is_open = ? where id = ?', [false, Number(repo.id)]);
      const broken = await waitRun((await maintain('BREAK_LOCK')).data!.runMaintenance.id);
      assert.equal(broken.state, 'SUCCEEDED', `${broken.message}\n${broken.log}`);
      const keys = await gql<{ sshKeys: { name: string }[] }>('{sshKeys{name}}');
      assert.deepEqual(
        keys.data!.sshKeys.map((k) => k.name),
        ['owner laptop'],
        'the maintenance keys are gone',
      );
    });
  },
);
