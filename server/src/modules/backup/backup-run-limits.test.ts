import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { createSecretBox } from '../../security/secret-box.js';
import { loadOrCreateSecretKey } from '../../security/secret-key-file.js';
import { dialects } from '../../test-support/databases.js';
import { codeOf, createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';
import { BackupRunState } from './backup-enums.js';
import { BackupRun } from './backup-run.entity.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpsj6TEu7wNyl+ztvWTYxJKkGKcFnTlIXf6p8dQ8gD4';
const RUN = 'mutation($id:ID!){runBackupJob(id:$id){id state}}';
const JOB = 'mutation($i:BackupJobInput!){createBackupJob(input:$i){id}}';
/** maxRunsPerClient's default */
const PER_CLIENT = 2;

/** A real ed25519 key pair from ssh-keygen. */
function keyPair(dir: string): { privateKey: string; publicKey: string } {
  const file = join(dir, `k${Math.random().toString(36).slice(2)}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'borg-hive@test', '-f', file]);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim() };
}

/**
 * The client's limit is claimed in one transaction holding the client's row: many "Run now" at the same
 * instant, half on each of two hives on one MariaDB (on SQLite: one hive), start exactly the limit. The
 * client host accepts TCP and never answers, so the started runs stay RUNNING (ssh waits for its banner)
 * until the test lets them go.
 */
for (const dialect of dialects) {
  describe(`the per-client run limit is claimed atomically on ${dialect}`, () => {
    let dir: string;
    let hives: TestHive[] = [];
    let silent: Server;
    const held = new Set<Socket>();
    let alice: { id: string; token: string };
    const jobIds: string[] = [];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'bh-limits-'));
      silent = createServer((socket) => {
        held.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const port = (silent.address() as { port: number }).port;
      const hostKeys = join(dir, 'host_keys');
      writeFileSync(hostKeys, `${keyPair(dir).publicKey}\n`);
      const first = await startTestHive({ dialect, env: { BORGHIVE_SSH_HOST_KEYS_FILE: hostKeys } });
      hives = [first];
      if (dialect === 'mariadb') {
        hives.push(
          await startTestHive({
            dialect,
            env: {
              BORGHIVE_DATABASE_URL: first.config.database.url,
              BORGHIVE_SECRET_KEY_FILE: first.config.secretKeyFile,
              BORGHIVE_SSH_HOST_KEYS_FILE: hostKeys,
            },
          }),
        );
      }
      alice = await first.newUser('alice');
      const repoId = (await createRepo(first, alice.token, { name: 'laptop' })).id;
      // a client as registration stores it (registration needs a live sshd: e2e/backup-pull.test.ts)
      const box = createSecretBox(loadOrCreateSecretKey(first.config.secretKeyFile).key);
      const pair = keyPair(dir);
      const em = first.services.orm.em.fork() as Em;
      const client = em.create(BackupClient, {
        name: 'silent',
        host: '127.0.0.1',
        port,
        user: 'alice',
        hostKey: ED25519,
        hostKeyFingerprint: 'SHA256:x',
        publicKey: pair.publicKey,
        privateKeySealed: box.seal(pair.privateKey),
        owner: em.getReference(User, Number(alice.id)),
      });
      await em.flush();
      for (let i = 0; i < 10; i++) {
        const r = await first.gql<{ createBackupJob: { id: string } }>(alice.token, JOB, {
          i: { name: `job ${i}`, clientId: String(client.id), repositoryId: repoId, paths: ['/home'] },
        });
        assert.equal(r.errors, undefined, JSON.stringify(r.errors));
        jobIds.push(r.data!.createBackupJob.id);
      }
    });
    after(async () => {
      for (const socket of held) socket.destroy();
      silent?.close();
      for (const hive of hives.reverse()) await hive.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('ten runs asked for at once start exactly the limit; the others are refused with CONFLICT', async () => {
      const answers = await Promise.all(
        jobIds.map((id, i) =>
          hives[i % hives.length]!.gql<{ runBackupJob: { state: string } }>(alice.token, RUN, { id }),
        ),
      );
      const started = answers.filter((a) => a.data?.runBackupJob.state === 'RUNNING');
      const refused = answers.filter((a) => codeOf(a) === 'CONFLICT');
      assert.equal(started.length, PER_CLIENT, JSON.stringify(answers));
      assert.equal(refused.length, jobIds.length - PER_CLIENT, JSON.stringify(answers));
      const em = hives[0]!.services.orm.em.fork() as Em;
      assert.equal(
        await em.count(BackupRun, { state: { $in: [BackupRunState.RUNNING, BackupRunState.QUEUED] } }),
        PER_CLIENT,
        'the database holds no more unfinished runs than the limit',
      );
      assert.equal(await em.count(BackupRun, {}), PER_CLIENT, 'a refused claim inserted nothing');
    });

    it('once the client lets go, its runs end and the slots are free again', async () => {
      for (const socket of held) socket.destroy();
      silent.close();
      await Promise.all(hives.map((h) => h.services.backupRuns.idle()));
      const em = hives[0]!.services.orm.em.fork() as Em;
      const runs = await em.find(BackupRun, {});
      assert.ok(
        runs.every((r) => r.state === BackupRunState.FAILED),
        JSON.stringify(runs.map((r) => [r.state, r.message])),
      );
      const again = await hives[0]!.gql<{ runBackupJob: { state: string } }>(alice.token, RUN, {
        id: jobIds[9],
      });
      assert.equal(again.data?.runBackupJob.state, 'RUNNING', JSON.stringify(again));
      await hives[0]!.services.backupRuns.idle();
    });
  });
}
