import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { dialects } from '../../test-support/databases.js';
import type { TestHive } from '../../test-support/hive.js';
import { createChannel, createRepository, emOf, startAlertHive } from '../alert/testing.js';
import { startCaptureServer, type CaptureServer } from '../notification/testing.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';
import { BackupRunState } from './backup-enums.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpsj6TEu7wNyl+ztvWTYxJKkGKcFnTlIXf6p8dQ8gD4';

/**
 * A failed run the hive started is an alert through the channels, as a failed ping is (the success
 * side needs a real client and storage sshd: e2e/backup-pull.test.ts).
 */
for (const dialect of dialects) {
  describe(`a failed backup run alerts through the channels on ${dialect}`, () => {
    const clock = new ManualClock(new Date('2026-05-01T10:00:00Z'));
    let hive: TestHive;
    let hook: CaptureServer;
    let alice: { id: string; token: string };
    let jobId: string;
    const seen = (path: string) =>
      hook.requests
        .filter((r) => r.url === `/${path}`)
        .map((r) => JSON.parse(r.body) as { event: string; title: string; message: string });

    before(async () => {
      hook = await startCaptureServer();
      hive = await startAlertHive(clock, { dialect });
      alice = await hive.newUser('alice');
      const repo = await createRepository(hive, alice.token, 'laptop', 1);
      for (const [name, rules] of [
        ['defaults', undefined],
        ['runs', { events: ['RUN_FAILED', 'RUN_SUCCEEDED'] }],
      ] as const) {
        await createChannel(hive, alice.token, {
          name,
          kind: 'WEBHOOK',
          settings: { url: `${hook.baseUrl}/${name}` },
          repositoryIds: [repo.id],
          ...(rules === undefined ? {} : { rules }),
        } as Parameters<typeof createChannel>[2]);
      }
      // a client as registration stores it; the location's host keys are unknown, so every run fails
      const em = emOf(hive);
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
      const job = await hive.gql<{ createBackupJob: { id: string } }>(
        alice.token,
        'mutation($i:BackupJobInput!){createBackupJob(input:$i){id}}',
        { i: { name: 'home', clientId: String(client.id), repositoryId: repo.id, paths: ['/home'] } },
      );
      assert.equal(job.errors, undefined, JSON.stringify(job.errors));
      jobId = job.data!.createBackupJob.id;
    });
    after(async () => {
      await hive?.dispose();
      await hook?.close();
    });

    const failOnce = async () => {
      const r = await hive.gql<{ runBackupJob: { id: string } }>(
        alice.token,
        'mutation($id:ID!){runBackupJob(id:$id){id}}',
        { id: jobId },
      );
      assert.equal(r.errors, undefined, JSON.stringify(r.errors));
      await hive.services.backupRuns.idle();
      const run = await hive.gql<{ backupRun: { state: string; message: string } }>(
        alice.token,
        'query($id:ID!){backupRun(id:$id){state message}}',
        { id: r.data!.runBackupJob.id },
      );
      assert.equal(run.data?.backupRun.state, BackupRunState.FAILED);
      return run.data!.backupRun.message;
    };

    it('the first failure is FAILED where the defaults hold, RUN_FAILED where runs are asked for', async () => {
      const message = await failOnce();
      const sent = await hive.services.deliveries.runOnce();
      assert.equal(sent.sent, 2, JSON.stringify(sent));
      assert.deepEqual(
        seen('defaults').map((m) => m.event),
        ['FAILED'],
      );
      assert.deepEqual(
        seen('runs').map((m) => m.event),
        ['RUN_FAILED'],
      );
      assert.ok(seen('defaults')[0]!.message.includes('laptop'), seen('defaults')[0]!.message);
      assert.match(message, /host keys of location .* are unknown/);
    });

    it('a second failure of the same incident: no new FAILED, one more RUN_FAILED', async () => {
      await failOnce();
      await hive.services.deliveries.runOnce();
      assert.deepEqual(
        seen('defaults').map((m) => m.event),
        ['FAILED'],
      );
      assert.deepEqual(
        seen('runs').map((m) => m.event),
        ['RUN_FAILED', 'RUN_FAILED'],
      );
    });
  });
}
