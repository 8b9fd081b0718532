import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Em } from '../../db/orm.js';
import { createRepo } from '../../test-support/factories.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';
import { openSocket, type LiveSocket, type Subscription } from '../../test-support/subscription.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBpsj6TEu7wNyl+ztvWTYxJKkGKcFnTlIXf6p8dQ8gD4';
type Changed = { backupRunChanged: { id: string; state: string; repository: { name: string } } };
const LIVE = 'subscription($r:ID){backupRunChanged(runId:$r){id state repository{name}}}';

/**
 * backupRunChanged goes through the live feed (one resolution per message, filtered per audience):
 * each subscriber gets the runs of the repositories it may see, and with runId only that run.
 */
describe('backupRunChanged through the live feed', () => {
  let hive: TestHive;
  const sockets: LiveSocket[] = [];
  const users: Record<string, { id: string; token: string; jobId: string; repoId: string }> = {};

  before(async () => {
    hive = await startTestHive({ overrides: { jobs: false } });
    for (const name of ['alice', 'bob']) {
      const user = await hive.newUser(name);
      const repo = await createRepo(hive, user.token, { name: `${name}-laptop` });
      // a client as registration stores it; the location's host keys are unknown, so its runs fail at once
      const em = hive.services.orm.em.fork() as Em;
      const client = em.create(BackupClient, {
        name,
        host: '127.0.0.1',
        port: 9,
        user: name,
        hostKey: ED25519,
        hostKeyFingerprint: 'SHA256:x',
        publicKey: ED25519,
        privateKeySealed: 'not used: the run stops before ssh',
        owner: em.getReference(User, Number(user.id)),
      });
      await em.flush();
      const job = await hive.gql<{ createBackupJob: { id: string } }>(
        user.token,
        'mutation($i:BackupJobInput!){createBackupJob(input:$i){id}}',
        { i: { name: 'home', clientId: String(client.id), repositoryId: repo.id, paths: ['/home'] } },
      );
      assert.equal(job.errors, undefined, JSON.stringify(job.errors));
      users[name] = { ...user, jobId: job.data!.createBackupJob.id, repoId: repo.id };
    }
  });
  after(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await hive?.dispose();
  });

  const listen = async (token: string, runId?: string): Promise<Subscription<Changed>> => {
    const socket = await openSocket(hive.url, token);
    sockets.push(socket);
    return socket.subscribe<Changed>(LIVE, runId === undefined ? {} : { r: runId });
  };
  const run = async (name: string): Promise<string> => {
    const r = await hive.gql<{ runBackupJob: { id: string } }>(
      users[name]!.token,
      'mutation($id:ID!){runBackupJob(id:$id){id}}',
      { id: users[name]!.jobId },
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    await hive.services.backupRuns.idle();
    return r.data!.runBackupJob.id;
  };
  const finished = (id: string) => (m: Changed) =>
    m.backupRunChanged.id === id && m.backupRunChanged.state === 'FAILED';
  /** Publishes a FAILED state of run `id` again, as recover() or a cancel by another hive does. */
  const republish = (id: number, ownerId: number, repositoryId: number, state = 'FAILED') =>
    hive.services.bus.publish('backupRunChanged', {
      repositoryId,
      ownerId,
      groupIds: [],
      run: {
        id,
        kind: 'BACKUP',
        state,
        jobId: null,
        repositoryId,
        startedAt: null,
        finishedAt: null,
        exitCode: null,
        archiveName: null,
        message: null,
        log: '',
        progress: null,
        statistics: null,
        createdAt: new Date().toISOString(),
      },
    });

  it('each sees the runs of its repositories, the admin all of them', async () => {
    const alice = [await listen(users['alice']!.token), await listen(users['alice']!.token)];
    const bob = await listen(users['bob']!.token);
    const admin = await listen(hive.adminToken);
    // every subscription is live once it heard of a message of a run nobody owns (graphql-ws acknowledges none)
    await republish(0, Number(users['alice']!.id), Number(users['alice']!.repoId));
    await Promise.all([...alice, admin].map((s) => s.waitFor(finished('0'))));
    const aliceRun = await run('alice');
    const bobRun = await run('bob');
    for (const s of alice) {
      const m = await s.waitFor(finished(aliceRun));
      assert.equal(m.backupRunChanged.repository.name, 'alice-laptop');
    }
    await admin.waitFor(finished(aliceRun));
    await admin.waitFor(finished(bobRun));
    // bob's own run came after alice's: hers would have arrived before it
    await bob.waitFor(finished(bobRun));
    assert.deepEqual(new Set(bob.received.map((m) => m.backupRunChanged.id)), new Set([bobRun]));
    for (const s of alice)
      assert.deepEqual(new Set(s.received.map((m) => m.backupRunChanged.id)), new Set(['0', aliceRun]));
  });

  it('with runId only that run arrives; a run of a repository one may not see is NOT_FOUND', async () => {
    const alice = users['alice']!;
    const first = await run('alice');
    const only = await listen(alice.token, first);
    const all = await listen(alice.token);
    const foreign = await listen(users['bob']!.token, first);
    const refused = await foreign.failed;
    assert.equal(refused[0]?.extensions?.['code'], 'NOT_FOUND', JSON.stringify(refused));
    // every subscription is live once it heard of a message (graphql-ws acknowledges none)
    await republish(Number(first), Number(alice.id), Number(alice.repoId));
    await Promise.all([only, all].map((s) => s.waitFor(finished(first))));
    const second = await run('alice');
    await all.waitFor(finished(second));
    // a marker on the first run: the filtered subscription would have had the second's messages before it
    await republish(Number(first), Number(alice.id), Number(alice.repoId), 'INTERRUPTED');
    await only.waitFor((m) => m.backupRunChanged.id === first && m.backupRunChanged.state === 'INTERRUPTED');
    assert.deepEqual(new Set(only.received.map((m) => m.backupRunChanged.id)), new Set([first]));
    assert.ok(all.received.some((m) => m.backupRunChanged.id === second));
  });
});
