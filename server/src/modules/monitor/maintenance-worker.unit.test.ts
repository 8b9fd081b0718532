import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FakeTime, settle } from '../../test-support/fakes/fake-time.js';
import { recordingLogger } from '../../test-support/fakes/recording-logger.js';
import {
  ScriptedProcessRunner,
  type ScriptedAnswer,
} from '../../test-support/fakes/scripted-process-runner.js';
import { scriptedPost } from '../../test-support/fakes/scripted-post.js';
import type { LockState, MaintenanceDisk } from './maintenance-disk.js';
import {
  HiveRefused,
  RemoteMaintenanceApi,
  type ClaimedRun,
  type MaintenanceApi,
  type MaintenanceResult,
} from './maintenance-api.js';
import { MaintenanceWorker } from './maintenance-worker.js';

const REPO_USER = 'u1234567';

/** The hive's side: a queue of runs to hand out, what was renewed and reported. */
class FakeHive implements MaintenanceApi {
  readonly queue: ClaimedRun[] = [];
  claims = 0;
  readonly renewals: number[] = [];
  readonly reports: { runId: number; result: MaintenanceResult }[] = [];
  cancelled = new Set<number>();
  takenBack = new Set<number>();
  claim(): Promise<ClaimedRun | null> {
    this.claims += 1;
    return Promise.resolve(this.queue.shift() ?? null);
  }
  renew(runId: number): Promise<{ cancelRequested: boolean }> {
    this.renewals.push(runId);
    if (this.takenBack.has(runId)) return Promise.reject(new HiveRefused('FAILED', 'CONFLICT'));
    return Promise.resolve({ cancelRequested: this.cancelled.has(runId) });
  }
  report(runId: number, _agentId: string, result: MaintenanceResult): Promise<void> {
    this.reports.push({ runId, result });
    return Promise.resolve();
  }
}

/** borg that answers at once, or (`hold`) runs until its signal aborts it. */
const fakeBorg = (answer: ScriptedAnswer = {}) => new ScriptedProcessRunner({ borg: answer });

function fakeDisk(lock: LockState = 'none'): MaintenanceDisk & { homes: string[]; borg2: unknown[] } {
  const homes: string[] = [];
  const borg2: unknown[] = [];
  return {
    homes,
    borg2,
    ownerOf: (path) => Promise.resolve(path.includes('missing') ? null : { uid: 1234, gid: 1235 }),
    lockState: () => Promise.resolve(lock),
    breakBorg2Locks: (path, now, sessionOpen) => {
      borg2.push({ path, now, sessionOpen });
      return Promise.resolve({ removed: 2, kept: 1 });
    },
    tempHome: (owner) => {
      const path = `/tmp/home-${owner.uid}`;
      homes.push(path);
      return Promise.resolve({
        path,
        remove: () => Promise.resolve(void homes.splice(homes.indexOf(path), 1)),
      });
    },
  };
}

function job(runId: number, task: ClaimedRun['task'], extra: Partial<ClaimedRun> = {}): ClaimedRun {
  return {
    runId,
    task,
    repoUser: REPO_USER,
    repoName: 'laptop',
    borgVersion: 'BORG1',
    isOpen: false,
    ...extra,
  };
}

function worker(hive: FakeHive, borg: ScriptedProcessRunner, disk = fakeDisk(), uid = 0) {
  const time = new FakeTime();
  const { logger, lines } = recordingLogger();
  const w = new MaintenanceWorker(
    { repoPath: '/srv/repos', logger },
    { api: hive, runner: borg, disk, clock: time, timers: time, uid },
  );
  return { w, time, lines, disk };
}

it('asks at start and every 10 s; runs borg 1 compact on the path as the directory’s owner and reports', async () => {
  const hive = new FakeHive();
  const borg = fakeBorg({
    stderrLines: ['{"type":"log_message","levelname":"INFO","message":"compaction freed 4 MB"}'],
  });
  const { w, time, disk } = worker(hive, borg);
  w.start();
  await settle();
  assert.equal(hive.claims, 1, 'right after it starts');
  hive.queue.push(job(7, 'COMPACT'));
  await time.advance(10_000);
  await w.idle();
  assert.equal(hive.claims, 3, 'the poll at 10 s claimed, then asked again until nothing was left');
  const spec = borg.calls[0]!;
  assert.deepEqual(spec.args, [
    'compact',
    '--log-json',
    '--progress',
    '--',
    `/srv/repos/${REPO_USER}/laptop`,
  ]);
  assert.deepEqual([spec.uid, spec.gid], [1234, 1235]);
  assert.equal(spec.env?.['BORG_BASE_DIR'], '/tmp/home-1234');
  assert.equal(spec.env?.['BORG_RSH'], undefined, 'no ssh: borg runs on the node');
  assert.deepEqual(disk.homes, [], 'its temporary home is removed');
  assert.deepEqual(hive.reports, [
    {
      runId: 7,
      result: {
        state: 'SUCCEEDED',
        exitCode: 0,
        message: 'compact succeeded',
        log: 'INFO compaction freed 4 MB\n',
      },
    },
  ]);
  await w.stop();
  const asked = hive.claims;
  await time.advance(60_000);
  assert.equal(hive.claims, asked, 'a stopped worker asks nothing');
});

it('not root: borg runs as the agent’s own user; CHECK is --repository-only; a failure is reported with borg’s error', async () => {
  const hive = new FakeHive();
  hive.queue.push(job(8, 'CHECK'));
  const borg = fakeBorg({
    code: 2,
    stderrLines: ['{"type":"log_message","levelname":"ERROR","message":"Repository index missing"}'],
  });
  const { w } = worker(hive, borg, fakeDisk(), 1000);
  await w.poll();
  await w.idle();
  assert.deepEqual(borg.calls[0]!.args.slice(0, 2), ['check', '--repository-only']);
  assert.equal(borg.calls[0]!.uid, undefined);
  assert.deepEqual(hive.reports[0]?.result.state, 'FAILED');
  assert.equal(hive.reports[0]?.result.exitCode, 2);
  assert.match(hive.reports[0]?.result.message ?? '', /borg exited with 2: Repository index missing/);
});

it('renews every 30 s; a cancel seen at a renewal stops borg and is reported CANCELLED', async () => {
  const hive = new FakeHive();
  hive.queue.push(job(9, 'COMPACT'));
  const borg = fakeBorg({ hold: true });
  const { w, time } = worker(hive, borg);
  await w.poll();
  await time.advance(60_000);
  assert.deepEqual(hive.renewals, [9, 9]);
  assert.equal(w.running, 1);
  hive.cancelled.add(9);
  await time.advance(30_000);
  await w.idle();
  assert.equal(borg.calls[0]!.signal?.aborted, true);
  assert.deepEqual(
    hive.reports.map((r) => [r.runId, r.result.state]),
    [[9, 'CANCELLED']],
  );
  await time.advance(60_000);
  assert.equal(hive.renewals.length, 3, 'no renewal after the run');
});

it('a run the hive took back (its claim lapsed) stops borg and reports nothing', async () => {
  const hive = new FakeHive();
  hive.queue.push(job(10, 'COMPACT'));
  const borg = fakeBorg({ hold: true });
  const { w, time, lines } = worker(hive, borg);
  await w.poll();
  hive.takenBack.add(10);
  await time.advance(30_000);
  await w.idle();
  assert.equal(borg.calls[0]!.signal?.aborted, true);
  assert.deepEqual(hive.reports, []);
  assert.ok(lines.some((l) => l.msg === 'the hive took the run back: borg stopped'));
});

it('BREAK_LOCK: refused while a session holds the lock, run when the lock is stale', async () => {
  for (const [lock, isOpen, runs] of [
    ['held', false, false],
    ['none', true, false],
    ['stale', true, true],
    ['none', false, true],
  ] as const) {
    const hive = new FakeHive();
    hive.queue.push(job(11, 'BREAK_LOCK', { isOpen }));
    const borg = fakeBorg();
    const { w } = worker(hive, borg, fakeDisk(lock));
    await w.poll();
    await w.idle();
    const result = hive.reports[0]!.result;
    if (runs) {
      assert.deepEqual(borg.calls[0]!.args.slice(0, 1), ['break-lock'], `${lock} ${isOpen}`);
      assert.equal(result.state, 'SUCCEEDED');
    } else {
      assert.equal(borg.calls.length, 0, `${lock} ${isOpen}`);
      assert.equal(result.state, 'FAILED');
      assert.match(result.message, /a session of repository laptop is open/);
    }
  }
});

it('borg 2 BREAK_LOCK removes the stale lock files on the disk, without borg', async () => {
  const hive = new FakeHive();
  hive.queue.push(job(12, 'BREAK_LOCK', { borgVersion: 'BORG2', isOpen: true }));
  const borg = fakeBorg();
  const { w, disk } = worker(hive, borg);
  await w.poll();
  await w.idle();
  assert.equal(borg.calls.length, 0);
  assert.deepEqual(
    disk.borg2.map((c) => (c as { sessionOpen: boolean }).sessionOpen),
    [true],
  );
  assert.deepEqual(hive.reports[0]?.result, {
    state: 'SUCCEEDED',
    exitCode: 0,
    message:
      'removed 2 stale lock files of borg 2 (older than 30 min, or any while no session is open); kept 1 of a live session',
    log: '',
  });
});

it('fails without running borg: a repository name that is a path, a directory that is not there', async () => {
  const hive = new FakeHive();
  hive.queue.push(job(13, 'COMPACT', { repoName: '../../etc' }), job(14, 'COMPACT', { repoName: 'missing' }));
  const borg = fakeBorg();
  const { w } = worker(hive, borg);
  await w.poll();
  await w.idle();
  assert.equal(borg.calls.length, 0);
  assert.deepEqual(
    hive.reports.map((r) => [r.runId, r.result.state, r.result.message]),
    [
      [13, 'FAILED', `the hive named no valid repository (${REPO_USER}/../../etc)`],
      [
        14,
        'FAILED',
        `the repository's directory /srv/repos/${REPO_USER}/missing is not on this storage node`,
      ],
    ],
  );
});

it('the API client: an error the hive chose is a refusal, an unreachable hive is not', async () => {
  const answers: (() => ReturnType<Parameters<typeof scriptedPost>[0]>)[] = [
    () => ({ status: 200, body: { errors: [{ message: 'not yours', extensions: { code: 'CONFLICT' } }] } }),
    () => new Error('ECONNREFUSED'),
    () => ({ status: 200, body: { data: { renewMaintenanceRun: { cancelRequested: true } } } }),
  ];
  const { post, requests } = scriptedPost(() => answers.shift()!());
  const api = new RemoteMaintenanceApi('https://hive.example', 'agent-token', post);
  const refused = await api.renew(1, 'agent-1234').catch((e: unknown) => e);
  assert.ok(refused instanceof HiveRefused && refused.code === 'CONFLICT');
  const down = await api.renew(1, 'agent-1234').catch((e: unknown) => e);
  assert.ok(down instanceof Error && !(down instanceof HiveRefused));
  assert.deepEqual(await api.renew(1, 'agent-1234'), { cancelRequested: true });
  assert.equal(requests[0]?.url, 'https://hive.example/graphql');
  assert.equal(requests[0]?.headers['authorization'], 'Bearer agent-token');
  assert.deepEqual(requests[0]?.body.variables, { r: '1', a: 'agent-1234' });
});
