// Backup jobs benchmark (#11): npm run bench jobs [jobs=10000] [due=200] [subscribers=200] [runs=20]
// 1. Scheduler: `jobs` scheduled jobs on MariaDB, `due` of them due in the same minute (jitter 300 s);
//    the hive's scheduler tick on an injected clock (every 15 s, as in production) until every due job
//    started: CPU per tick with nothing due and in the busy minute, the spread of start times that jitter
//    and the concurrency limits (2 per client, 8 per location) give. The runs fail at once (no host keys
//    configured), so this measures the scheduler, not ssh.
// 2. Fan-out: `runs` concurrent runs publishing progress (4 a second each, what a run sends at most) to
//    `subscribers` graphql-ws subscribers of backupRunChanged (in a worker thread, so their parsing is
//    not the hive's delay): p50/p99 delay from publish to receipt.
// jobs=0 skips the first part, subscribers=0 the second.
// Prints figures only; it asserts nothing (the machine is shared).
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { ManualClock, startTestHive, type TestHive } from '@borg-hive/server/testing';
import { fanoutClients, type FanoutClientsJob, type FromFanoutClients } from './jobs-fanout-clients.js';

const [jobsArg = '10000', dueArg = '200', subsArg = '200', runsArg = '20'] = process.argv.slice(2);
const JOBS = Number(jobsArg);
const DUE = Number(dueArg);
const SUBSCRIBERS = Number(subsArg);
const RUNS = Number(runsArg);
const log = pino({ level: 'info' });
const sqlTime = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function seed(hive: TestHive, now: Date): Promise<void> {
  const conn = hive.services.orm.em.getConnection();
  const owner = Number((await hive.newUser('owner')).id);
  await conn.execute(
    `insert into repositories (name, repo_user, uid, gid, mode, location_id, owner_id, ping_uuid, created_at, alert_after_days)
     select concat('r', seq), concat('u', seq), 100000 + seq, 1000, 'BORG', 1, ?, uuid(), ?, 0 from seq_1_to_100`,
    [owner, sqlTime(now)],
  );
  const repoIds = (await conn.execute<{ id: number }[]>('select id from repositories order by id')).map(
    (r) => r.id,
  );
  await conn.execute(
    `insert into backup_clients (name, host, port, user, host_key, host_key_fingerprint, public_key, private_key_sealed, owner_id, created_at)
     select concat('c', seq), '127.0.0.1', 9, 'x', 'k', 'f', 'k', 'x', ?, ? from seq_1_to_100`,
    [owner, sqlTime(now)],
  );
  const clientIds = (await conn.execute<{ id: number }[]>('select id from backup_clients order by id')).map(
    (r) => r.id,
  );
  const later = new Date(now.getTime() + 3_600_000);
  const BATCH = 2000;
  for (let start = 0; start < JOBS; start += BATCH) {
    const rows: unknown[] = [];
    const values: string[] = [];
    for (let i = start; i < Math.min(JOBS, start + BATCH); i++) {
      values.push("(?, ?, ?, ?, '[\"/home\"]', '[]', '0 3 * * *', 'UTC', 300, ?, ?)");
      rows.push(
        `job ${i}`,
        clientIds[i % clientIds.length],
        repoIds[i % repoIds.length],
        owner,
        sqlTime(i < DUE ? now : later),
        sqlTime(now),
      );
    }
    await conn.execute(
      `insert into backup_jobs (name, client_id, repository_id, owner_id, paths, excludes, schedule, timezone, jitter_seconds, next_run_at, created_at) values ${values.join(',')}`,
      rows,
    );
  }
}

async function schedulerBench(): Promise<void> {
  const clock = new ManualClock(new Date('2026-06-01T02:59:00Z'));
  const hive = await startTestHive({ dialect: 'mariadb', overrides: { clock, jobs: false } });
  try {
    const dueAt = new Date('2026-06-01T03:00:00Z');
    await seed(hive, dueAt);
    const scheduler = hive.services.backupScheduler;
    const idle: number[] = [];
    for (let i = 0; i < 4; i++) {
      const cpu = process.cpuUsage();
      await scheduler.tick();
      const used = process.cpuUsage(cpu);
      idle.push((used.user + used.system) / 1000);
      clock.advance(15_000);
    }
    clock.set(dueAt);
    const starts: number[] = [];
    let busyCpu = 0;
    let ticks = 0;
    let deferred = 0;
    while (starts.length < DUE && ticks < 400) {
      const cpu = process.cpuUsage();
      const t = await scheduler.tick();
      await hive.services.backupRuns.idle();
      const used = process.cpuUsage(cpu);
      busyCpu += (used.user + used.system) / 1000;
      for (let i = 0; i < t.started; i++) starts.push(clock.now().getTime() - dueAt.getTime());
      deferred += t.deferred;
      ticks += 1;
      clock.advance(15_000);
    }
    const conn = hive.services.orm.em.getConnection();
    const next = await conn.execute<{ s: number }[]>(
      `select timestampdiff(second, '2026-06-02 03:00:00', next_run_at) as s from backup_jobs where next_run_at >= '2026-06-02 00:00:00' and next_run_at < '2026-06-03 00:00:00'`,
    );
    const jitter = next.map((r) => Number(r.s));
    log.info(
      {
        jobs: JOBS,
        due: DUE,
        idleTickCpuMs: idle.map((x) => Math.round(x)),
        busyTicks: ticks,
        busyCpuMs: Math.round(busyCpu),
        started: starts.length,
        deferredStarts: deferred,
        startSpreadS: {
          p50: pct(starts, 50) / 1000,
          p99: pct(starts, 99) / 1000,
          max: Math.max(...starts) / 1000,
        },
        nextDayJitterS: {
          n: jitter.length,
          min: Math.min(...jitter),
          p50: pct(jitter, 50),
          max: Math.max(...jitter),
        },
      },
      'scheduler',
    );
  } finally {
    await hive.dispose();
  }
}

/** The clients' worker: resolves once every subscription is open; `settle` ends them and reports. */
async function startClients(job: FanoutClientsJob) {
  const worker = new Worker(new URL(import.meta.url), { workerData: job });
  const next = <T extends FromFanoutClients['type']>(type: T) =>
    new Promise<Extract<FromFanoutClients, { type: T }>>((resolve, reject) => {
      worker.once('error', reject);
      const on = (m: FromFanoutClients) => {
        if (m.type !== type) return;
        worker.off('message', on);
        resolve(m as Extract<FromFanoutClients, { type: T }>);
      };
      worker.on('message', on);
    });
  await next('connected');
  return {
    settle: async () => {
      const settled = next('settled');
      worker.postMessage('settle');
      const result = await settled;
      await worker.terminate();
      return result;
    },
  };
}

async function fanoutBench(): Promise<void> {
  // one user holds every subscriber socket here: lift the per-user socket cap for the measurement
  const hive = await startTestHive({ env: { BORGHIVE_WS_MAX_SOCKETS_PER_USER: String(SUBSCRIBERS + 10) } });
  try {
    const clients = await startClients({ url: hive.url, token: hive.adminToken, subscribers: SUBSCRIBERS });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const repo = await hive.gql<{ createRepository: { id: string } }>(
      hive.adminToken,
      'mutation{createRepository(input:{name:"fanout"}){id}}',
    );
    const repositoryId = Number(repo.data!.createRepository.id);
    const user = 1;
    const ROUNDS = 20;
    const cpu = process.cpuUsage();
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        Array.from({ length: RUNS }, (_, run) =>
          hive.services.bus.publish('backupRunChanged', {
            repositoryId,
            ownerId: user,
            groupIds: [],
            run: {
              id: run + 1,
              kind: 'BACKUP',
              state: 'RUNNING',
              jobId: null,
              repositoryId,
              startedAt: null,
              finishedAt: null,
              exitCode: null,
              archiveName: null,
              message: String(Date.now()),
              log: '',
              progress: {
                originalBytes: round * 1e6,
                compressedBytes: 0,
                deduplicatedBytes: 0,
                files: round,
                currentPath: '/home/x',
              },
              statistics: null,
              createdAt: new Date().toISOString(),
            },
          }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { delays, received } = await clients.settle();
    const used = process.cpuUsage(cpu);
    log.info(
      {
        subscribers: SUBSCRIBERS,
        runs: RUNS,
        messagesPerSecond: RUNS * 4,
        published: SUBSCRIBERS * RUNS * ROUNDS,
        // a subscriber that falls behind gets a run's newest state in place of the waiting one
        received,
        // the hive's thread (the clients run in a worker thread, counted here too: one process)
        processCpuS: Math.round((used.user + used.system) / 1e4) / 100,
        delayMs: {
          p50: Math.round(pct(delays, 50)),
          p99: Math.round(pct(delays, 99)),
          max: Math.round(Math.max(...delays)),
        },
      },
      'progress fan-out',
    );
  } finally {
    await hive.dispose();
  }
}

if (!isMainThread) {
  await fanoutClients(workerData as FanoutClientsJob);
} else {
  if (JOBS > 0) await schedulerBench();
  if (SUBSCRIBERS > 0) await fanoutBench();
}
