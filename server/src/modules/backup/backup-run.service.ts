import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { ProcessRunner } from '../../adapters/process/process-runner.js';
import { systemTimers, type Timers } from '../../adapters/timers.js';
import { inTransaction } from '../../db/in-transaction.js';
import type { Em, Orm } from '../../db/orm.js';
import type { EventBus } from '../../graphql/event-bus.js';
import { BadUserInputError, ConflictError, NotFoundError } from '../../graphql/errors.js';
import type { AuthInfo } from '../auth/index.js';
import { type AlertService, reportFinishedRun } from '../alert/index.js';
import {
  audienceOf,
  BorgVersion,
  type EventService,
  type HealthStore,
  Repository,
  RepositoryAction,
  RepositoryEventType,
  RepositoryMode,
  type RepositoryService,
  repositoryUrl,
} from '../repository/index.js';
import type { RepositoryLocation } from '../location/index.js';
import { BackupClient } from './backup-client.entity.js';
import type { BackupClientService } from './backup-client.service.js';
import {
  BackupMethod,
  BackupRunKind,
  BackupRunState,
  FINISHED_STATES,
  MaintenanceTask,
} from './backup-enums.js';
import {
  borg2LockBreakMessage,
  borg2MaintenanceRefusal,
  breakBorg2Locks,
  collectBorgLog,
  lockInUse,
  lockIsStale,
  maintenanceOutcome,
  maintenanceArgs,
  processAlive,
  runStorageBorg,
} from './maintenance.js';
import { BackupJob } from './backup-job.entity.js';
import { AGENT_CLAIM_WITHIN_MS, agentLeaseLost, agentQueue, isAgentLease } from './agent-lease.js';
import type { BackupJobService } from './backup-job.service.js';
import { BackupRun } from './backup-run.entity.js';
import { runView, type BackupProgress, type BackupRunView } from './backup-run.view.js';
import { BoundedLog, parseBorgLine } from './borg-progress.js';
import { knownHostsLines, parsePublicKey, type PublicKey } from '../../security/host-keys.js';
import { PullSession, removeRunDirs } from './pull-session.js';
import { archiveGlob, borgCreateArgs, borgPruneArgs } from './remote-command.js';
import { outcomeOf, type RunOutcome } from './run-outcome.js';
import { leaseOwnerOf, ownerDiedHere } from './lease-owner.js';
import { addRunKey, removeRunKey } from './run-key.js';
import type { SshTools } from './ssh-tools.js';

export interface BackupRunDeps {
  orm: Orm;
  bus: EventBus;
  clock: Clock;
  timers?: Timers;
  runner: ProcessRunner;
  tools: SshTools;
  clients: BackupClientService;
  jobs: BackupJobService;
  repositories: RepositoryService;
  events: EventService;
  health: HealthStore;
  alerts: AlertService;
  logger: Logger;
  /** The default location's sshd host keys (`.pub` lines). */
  defaultHostKeys: readonly string[];
  /** MariaDB: the limit claim holds the client's and location's rows (SELECT ... FOR UPDATE). */
  dialect?: 'sqlite' | 'mariadb';
  /** A whole run (create + prune) may last this long. */
  runTimeoutMs?: number;
  /** Live progress messages per run at most every this many ms. */
  progressIntervalMs?: number;
  /** How long a run's lease holds without renewal (renewed at a third of it). */
  leaseMs?: number;
  /** How long a maintenance run queued for a storage node's agent waits to be claimed (10 min). */
  agentClaimWithinMs?: number;
  maxRunsPerClient?: number;
  maxRunsPerLocation?: number;
}

interface ActiveRun {
  session: PullSession | null;
  /** maintenance runs: aborting kills the local borg */
  abort: AbortController;
  cancelled: boolean;
  done: Promise<void>;
}

const LIVE_LOG_CHARS = 8 * 1024;

/**
 * Starts, runs, cancels and recovers backup runs. A run is claimed by one hive instance through its
 * lease (leaseOwner/leaseUntil, renewed while it runs): a run whose lease ran out belongs to a hive that
 * died, and the next recover() marks it INTERRUPTED and removes its temporary key.
 */
export class BackupRunService {
  readonly instanceId = randomUUID();
  /** `<host> <pid> <instanceId>`: what this instance's runs record as their lease owner. */
  readonly leaseOwner = leaseOwnerOf(this.instanceId);
  private readonly active = new Map<number, ActiveRun>();
  private readonly timers: Timers;
  private readonly leaseMs: number;

  constructor(private readonly deps: BackupRunDeps) {
    this.timers = deps.timers ?? systemTimers;
    this.leaseMs = deps.leaseMs ?? 60_000;
  }

  /** The location's host keys: as updateLocation set them, else (the default location) the configured file's. */
  hostKeysOf(location: RepositoryLocation): PublicKey[] {
    const parse = (lines: readonly string[]) =>
      lines.map(parsePublicKey).filter((k): k is PublicKey => k !== null);
    const stored = parse((location.sshHostKeys ?? '').split('\n'));
    if (stored.length > 0) return stored;
    return location.isDefault ? parse(this.deps.defaultHostKeys) : [];
  }

  async list(
    em: Em,
    auth: AuthInfo,
    opts: { jobId?: number; repositoryId?: number; limit: number },
  ): Promise<BackupRunView[]> {
    const where: Record<string, unknown> = {};
    if (opts.jobId !== undefined) where['job'] = opts.jobId;
    if (opts.repositoryId !== undefined) where['repository'] = opts.repositoryId;
    if (!auth.isAdmin) {
      const or: object[] = [{ repository: { owner: auth.userId } }];
      if (auth.groupIds.length) or.push({ repository: { groups: { $in: auth.groupIds } } });
      where['$or'] = or;
    }
    const runs = await em.find(BackupRun, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: Math.min(Math.max(opts.limit, 1), 500),
      populate: ['log'],
    });
    return runs.map((r) => runView(r));
  }

  async get(em: Em, auth: AuthInfo, id: number): Promise<BackupRun> {
    const run = await em.findOne(BackupRun, { id }, { populate: ['log'] });
    if (!run) throw new NotFoundError('backup run', id);
    await this.deps.repositories.get(em, auth, run.repository.id);
    return run;
  }

  /** runBackupJob: a run now, whatever the schedule (the caller must be allowed to operate the repository). */
  async runJob(em: Em, auth: AuthInfo, jobId: number): Promise<BackupRunView> {
    const job = await this.deps.jobs.get(em, auth, jobId);
    await this.deps.repositories.getFor(em, auth, job.repository.id, RepositoryAction.OPERATE);
    const run = await this.claim(em, job);
    if (!run)
      throw new ConflictError('this job, its client or its location already runs as many backups as allowed');
    this.launch(run.id);
    return runView(run);
  }

  /** The scheduler's start: the same as runJob without a caller; null when a limit holds it back. */
  async startScheduled(em: Em, job: BackupJob): Promise<BackupRun | null> {
    const run = await this.claim(em, job);
    if (run) this.launch(run.id);
    return run;
  }

  /**
   * Inserts the run already leased to this instance, if the limits allow: one run per job, and at most
   * maxRunsPerClient / maxRunsPerLocation unfinished runs. Counted and inserted in one transaction that
   * first holds the client's and the location's rows (SELECT ... FOR UPDATE on MariaDB, always in that
   * order; SQLite runs one write transaction at a time): claims of several hive instances are counted one
   * after another, so together they never pass a limit.
   */
  private async claim(em: Em, job: BackupJob): Promise<BackupRun | null> {
    const repo = await em.findOneOrFail(Repository, { id: job.repository.id }, { populate: ['location'] });
    return inTransaction(em, async () => {
      await this.holdForClaim(em, job.client.id, repo.location.id);
      const open = { state: { $in: [BackupRunState.QUEUED, BackupRunState.RUNNING] } };
      if (await em.count(BackupRun, { ...open, job: job.id })) return null;
      const perClient = this.deps.maxRunsPerClient ?? 2;
      const perLocation = this.deps.maxRunsPerLocation ?? 8;
      if ((await em.count(BackupRun, { ...open, job: { client: job.client.id } })) >= perClient) return null;
      if ((await em.count(BackupRun, { ...open, repository: { location: repo.location.id } })) >= perLocation)
        return null;
      const run = this.newRun(em, BackupRunKind.BACKUP, repo, job);
      await em.flush();
      return run;
    });
  }

  /** The claim's row locks: the client's, then the location's (MariaDB; SQLite serialises write transactions). */
  private async holdForClaim(em: Em, clientId: number, locationId: number): Promise<void> {
    if (this.deps.dialect !== 'mariadb') return;
    const conn = em.getConnection();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the driver types its transaction handle as any
    const tx = em.getTransactionContext();
    await conn.execute('select id from backup_clients where id = ? for update', [clientId], 'all', tx);
    await conn.execute(
      'select id from repository_locations where id = ? for update',
      [locationId],
      'all',
      tx,
    );
  }

  /** A run started now and leased to this instance (flushed by the caller). */
  private newRun(em: Em, kind: BackupRunKind, repo: Repository, job: BackupJob | null): BackupRun {
    const now = this.deps.clock.now();
    return em.create(BackupRun, {
      kind,
      state: BackupRunState.RUNNING,
      job,
      repository: repo,
      startedAt: now,
      leaseOwner: this.leaseOwner,
      leaseUntil: new Date(now.getTime() + this.leaseMs),
      stats: null,
      createdAt: now,
    });
  }

  private launch(runId: number, maintenance: MaintenanceTask | null = null): void {
    const active: ActiveRun = {
      session: null,
      abort: new AbortController(),
      cancelled: false,
      done: Promise.resolve(),
    };
    this.active.set(runId, active);
    active.done = (
      maintenance ? this.executeMaintenance(runId, active, maintenance) : this.execute(runId, active)
    )
      .catch((err: unknown) => this.deps.logger.error({ err, runId }, 'backup run crashed'))
      .finally(() => this.active.delete(runId));
  }

  async cancel(em: Em, auth: AuthInfo, id: number): Promise<BackupRunView> {
    const run = await this.get(em, auth, id);
    await this.deps.repositories.getFor(em, auth, run.repository.id, RepositoryAction.OPERATE);
    if (FINISHED_STATES.includes(run.state)) return runView(run);
    if (run.state === BackupRunState.QUEUED && isAgentLease(run.leaseOwner)) {
      // no agent has it yet: it ends here (an agent claiming it meanwhile wins, and sees the flag below)
      const now = this.deps.clock.now();
      const ended = await em.nativeUpdate(
        BackupRun,
        { id, state: BackupRunState.QUEUED },
        {
          state: BackupRunState.CANCELLED,
          finishedAt: now,
          leaseUntil: null,
          message: 'cancelled before an agent claimed it',
        },
      );
      if (ended === 1) {
        await em.refresh(run, { populate: ['log'] });
        await this.endMaintenanceWindow(em, run);
        await this.publish(em, run, null);
        return runView(run);
      }
      await em.refresh(run, { populate: ['log'] });
    }
    const here = this.active.get(id);
    if (here) {
      here.cancelled = true;
      here.session?.cancel(15_000);
      here.abort.abort();
      await here.done;
      await em.refresh(run, { populate: ['log'] });
      return runView(run);
    }
    // another instance (or the storage node's agent) runs it: it sees the flag at its next lease renewal
    run.cancelRequested = true;
    await em.flush();
    return runView(run);
  }

  /**
   * runMaintenance: COMPACT, CHECK (--repository-only) or BREAK_LOCK on the storage node, through its sshd
   * with a full-access key of this run only (no borg key is needed). BREAK_LOCK is refused while a
   * session is open, unless the lock is stale. A maintenance run never counts as a backup.
   * Borg 2: COMPACT and CHECK are refused (both need the borg key, which the hive never holds);
   * BREAK_LOCK removes only the stale lock files, on the disk (see breakBorg2Locks).
   * On a location whose `borg-hive agent` calls in, the run is QUEUED for that agent, which runs borg on
   * the node itself and checks the lock there (see AgentMaintenanceService).
   */
  async runMaintenance(
    em: Em,
    auth: AuthInfo,
    repositoryId: number,
    task: MaintenanceTask,
  ): Promise<BackupRunView> {
    const repo = await this.deps.repositories.getFor(em, auth, repositoryId, RepositoryAction.OPERATE);
    if (repo.mode !== RepositoryMode.BORG)
      throw new BadUserInputError(`repository ${repo.name} is not a borg repository`);
    const borg2 = repo.borgVersion === BorgVersion.BORG2;
    const refused = borg2 ? borg2MaintenanceRefusal(task, repo.name) : null;
    if (refused) throw new BadUserInputError(refused);
    const byAgent = (await repo.location.loadOrFail()).agentSeenAt !== null;
    if (task === MaintenanceTask.BREAK_LOCK && repo.isOpen && !borg2 && !byAgent) {
      if (!(await lockIsStale(this.deps.repositories.path(repo), processAlive))) {
        throw new ConflictError(lockInUse(repo.name));
      }
    }
    const run = await this.startMaintenance(em, repo, task);
    if (!run) throw new ConflictError(`repository ${repo.name} has a run in progress`);
    return runView(run);
  }

  /**
   * The scheduler's COMPACT or CHECK (a maintenance schedule is due): as runMaintenance without a caller;
   * null when the repository has a run in progress (the scheduler tries again shortly) or is gone.
   */
  async startScheduledMaintenance(
    em: Em,
    repositoryId: number,
    task: MaintenanceTask,
  ): Promise<BackupRun | null> {
    const repo = await em.findOne(Repository, { id: repositoryId });
    if (!repo || repo.mode !== RepositoryMode.BORG) return null;
    const refused = repo.borgVersion === BorgVersion.BORG2 ? borg2MaintenanceRefusal(task, repo.name) : null;
    if (refused) return this.refusedMaintenance(em, repo, task, refused);
    return this.startMaintenance(em, repo, task);
  }

  /**
   * A scheduled task the hive cannot run on this repository (a schedule set before a refresh recognised it
   * as borg 2): a FAILED run with the reason, so its owner sees why, and nothing is started.
   */
  private async refusedMaintenance(
    em: Em,
    repo: Repository,
    task: MaintenanceTask,
    reason: string,
  ): Promise<BackupRun> {
    const now = this.deps.clock.now();
    const run = em.create(BackupRun, {
      kind: task as unknown as BackupRunKind,
      state: BackupRunState.FAILED,
      repository: repo,
      startedAt: now,
      finishedAt: now,
      message: reason,
      stats: null,
      createdAt: now,
    });
    await em.flush();
    await this.publish(em, run, null);
    return run;
  }

  /**
   * Inserts and launches the maintenance run, or queues it for the location's agent when one calls in;
   * null when another run of the repository is in progress.
   */
  private async startMaintenance(em: Em, repo: Repository, task: MaintenanceTask): Promise<BackupRun | null> {
    const open = { state: { $in: [BackupRunState.QUEUED, BackupRunState.RUNNING] }, repository: repo.id };
    if (task !== MaintenanceTask.BREAK_LOCK && (await em.count(BackupRun, open)) > 0) return null;
    const run = this.newRun(em, task as unknown as BackupRunKind, repo, null);
    const now = run.createdAt;
    // what the watcher sees from now until the run ends is maintenance, not a backup; with no backup
    // known since the last maintenance, the window goes on from that one (a refresh reads only the newest
    // commit, which may be the last compaction's)
    const known = repo.lastUpdatedAt;
    const goesOn =
      repo.maintenanceStartedAt !== null &&
      repo.maintenanceFinishedAt !== null &&
      (known === null || known <= repo.maintenanceFinishedAt);
    if (!goesOn) repo.maintenanceStartedAt = now;
    repo.maintenanceFinishedAt = null;
    const location = await repo.location.loadOrFail();
    if (location.agentSeenAt !== null) {
      run.state = BackupRunState.QUEUED;
      run.startedAt = null;
      run.leaseOwner = agentQueue(location.id);
      run.leaseUntil = new Date(now.getTime() + (this.deps.agentClaimWithinMs ?? AGENT_CLAIM_WITHIN_MS));
      await em.flush();
      await this.publish(em, run, null);
      return run;
    }
    await em.flush();
    this.launch(run.id, task);
    return run;
  }

  private async executeMaintenance(runId: number, active: ActiveRun, task: MaintenanceTask): Promise<void> {
    const em = this.deps.orm.em.fork() as Em;
    const run = await em.findOneOrFail(BackupRun, { id: runId }, { populate: ['log'] });
    const repo = await em.findOneOrFail(
      Repository,
      { id: run.repository.id },
      { populate: ['location', 'groups'] },
    );
    const log = new BoundedLog();
    const renew = this.timers.every(this.leaseMs / 3, () => void this.renew(run, active));
    let outcome: RunOutcome;
    try {
      await this.publish(em, run, null);
      outcome =
        repo.borgVersion === BorgVersion.BORG2 && task === MaintenanceTask.BREAK_LOCK
          ? await this.breakBorg2Locks(repo)
          : await this.maintainOverSsh(em, run, repo, task, active, log);
    } catch (error) {
      outcome =
        error instanceof RunRefused
          ? { state: error.state, exitCode: null, message: error.message }
          : {
              state: BackupRunState.FAILED,
              exitCode: null,
              message: `the hive could not run it: ${(error as Error).message}`,
            };
    } finally {
      renew();
      if (run.runKeyId !== null) await removeRunKey(em.fork() as Em, run.runKeyId).catch(() => undefined);
    }
    await this.settle(em, run, outcome, log, null);
    await this.endMaintenanceWindow(em, run);
  }

  /**
   * A run the storage node's agent ran has ended (stored by its report): the maintenance window closes as
   * for a run of the hive, and its watchers are told.
   */
  async agentRunEnded(em: Em, run: BackupRun): Promise<void> {
    await this.endMaintenanceWindow(em, run);
    await this.publish(em, run, null);
  }

  /** Tells the run's watchers (backupRunChanged) how it is now. */
  async publishRun(em: Em, run: BackupRun): Promise<void> {
    await this.publish(em, run, null);
  }

  /** Closes the repository's maintenance window when its last maintenance run ends. */
  private async endMaintenanceWindow(em: Em, run: BackupRun): Promise<void> {
    const maintenance = [BackupRunKind.COMPACT, BackupRunKind.CHECK, BackupRunKind.BREAK_LOCK];
    if (!maintenance.includes(run.kind)) return;
    const others = await em.count(BackupRun, {
      id: { $ne: run.id },
      repository: run.repository.id,
      kind: { $in: maintenance },
      state: { $in: [BackupRunState.QUEUED, BackupRunState.RUNNING] },
    });
    if (others > 0) return;
    await em.nativeUpdate(
      Repository,
      { id: run.repository.id, maintenanceFinishedAt: null },
      { maintenanceFinishedAt: run.finishedAt ?? this.deps.clock.now() },
    );
  }

  /** COMPACT, CHECK or BREAK_LOCK by borg on the hive, through the storage node's sshd with a run key. */
  private async maintainOverSsh(
    em: Em,
    run: BackupRun,
    repo: Repository,
    task: MaintenanceTask,
    active: ActiveRun,
    log: BoundedLog,
  ): Promise<RunOutcome> {
    const location = repo.location.getEntity();
    const hostKeys = this.hostKeysOf(location);
    if (hostKeys.length === 0) throw new RunRefused(`the host keys of location ${location.name} are unknown`);
    const pair = await this.deps.tools.generateKeyPair(`borg-hive-maintenance-${run.id}`);
    const key = await addRunKey(em, repo, run.id, pair.publicKey, this.deps.clock.now(), true);
    run.runKeyId = key.id;
    await em.flush();
    const timeoutMs = this.deps.runTimeoutMs ?? 12 * 3_600_000;
    const result = await runStorageBorg(this.deps.runner, {
      privateKey: pair.privateKey,
      knownHosts: knownHostsLines(location.sshHost, location.sshPort, hostKeys),
      borgArgs: maintenanceArgs(
        task,
        repositoryUrl(repo.repoUser, location.sshHost, location.sshPort, repo.name),
      ),
      timeoutMs,
      signal: active.abort.signal,
      onStderrLine: collectBorgLog(log),
    });
    return maintenanceOutcome(task, result, log, active.cancelled, timeoutMs);
  }

  /** BREAK_LOCK on borg 2: the stale lock files removed on the disk, fresh ones of a live session kept. */
  private async breakBorg2Locks(repo: Repository): Promise<RunOutcome> {
    const path = this.deps.repositories.path(repo);
    const broken = await breakBorg2Locks(path, this.deps.clock.now(), repo.isOpen);
    return { state: BackupRunState.SUCCEEDED, exitCode: 0, message: borg2LockBreakMessage(broken) };
  }

  /** Waits for every run of this instance (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Cancels what this instance runs and waits (the hive stops). */
  async stop(): Promise<void> {
    for (const a of this.active.values()) {
      a.cancelled = true;
      a.session?.cancel(5_000);
      a.abort.abort();
    }
    await this.idle();
  }

  /**
   * Runs whose hive died: INTERRUPTED, their leftover processes on this host stopped, their temporary keys
   * removed. A hive is known dead when its lease ran out, or at once when it ran on this host and its
   * process is gone (the lease owner records host and pid). Called at start and by the scheduler job.
   * A run of a storage node's agent that no agent claimed in time, or whose agent stopped renewing its
   * claim, ends FAILED with the reason (CANCELLED when someone had asked to cancel it).
   */
  async recover(em: Em): Promise<number> {
    const now = this.deps.clock.now();
    const open = await em.find(BackupRun, {
      state: { $in: [BackupRunState.QUEUED, BackupRunState.RUNNING] },
    });
    const stale = open.filter(
      (run) => run.leaseUntil === null || run.leaseUntil < now || ownerDiedHere(run.leaseOwner),
    );
    for (const run of stale) {
      if (this.active.has(run.id)) continue;
      const byAgent = isAgentLease(run.leaseOwner);
      const claimed = await em.nativeUpdate(
        BackupRun,
        { id: run.id, state: run.state, leaseUntil: run.leaseUntil, leaseOwner: run.leaseOwner },
        byAgent
          ? {
              state: run.cancelRequested ? BackupRunState.CANCELLED : BackupRunState.FAILED,
              finishedAt: now,
              leaseUntil: null,
              message: agentLeaseLost(run.leaseOwner!, run.state === BackupRunState.QUEUED),
            }
          : {
              state: BackupRunState.INTERRUPTED,
              finishedAt: now,
              message: 'the hive running it stopped; interrupted',
            },
      );
      if (claimed !== 1) continue;
      stopLeftovers(run.processGroups);
      await removeRunDirs(run.id);
      if (run.runKeyId !== null) await removeRunKey(em.fork() as Em, run.runKeyId);
      await em.nativeUpdate(BackupRun, { id: run.id }, { runKeyId: null });
      await em.refresh(run, { populate: ['log'] });
      await this.endMaintenanceWindow(em, run);
      await this.publish(em, run, null);
    }
    return stale.length;
  }

  private async execute(runId: number, active: ActiveRun): Promise<void> {
    const em = this.deps.orm.em.fork() as Em;
    const run = await em.findOneOrFail(BackupRun, { id: runId }, { populate: ['log'] });
    const job = await em.findOneOrFail(BackupJob, { id: run.job!.id });
    const client = await em.findOneOrFail(BackupClient, { id: job.client.id });
    const repo = await em.findOneOrFail(
      Repository,
      { id: run.repository.id },
      { populate: ['location', 'groups'] },
    );
    const location = repo.location.getEntity();
    const log = new BoundedLog();
    let progress: BackupProgress | null = null;
    let lastPublished = 0;
    const timer: { pending: (() => void) | null } = { pending: null };
    const publishSoon = () => {
      const interval = this.deps.progressIntervalMs ?? 250;
      const due = lastPublished + interval - Date.now();
      if (timer.pending) return;
      const send = () => {
        timer.pending = null;
        lastPublished = Date.now();
        run.log = log.toString();
        void this.publish(em, run, progress, true).catch(() => undefined);
      };
      if (due <= 0) send();
      else timer.pending = this.timers.after(due, send);
    };
    const renew = this.timers.every(this.leaseMs / 3, () => void this.renew(run, active));
    let outcome: RunOutcome;
    try {
      await this.publish(em, run, null);
      await this.deps.events.record(
        em,
        repo,
        RepositoryEventType.BACKUP_STARTED,
        `backup run ${run.id} of job ${job.name} started`,
      );
      const hostKeys = this.hostKeysOf(location);
      if (hostKeys.length === 0) {
        throw new RunRefused(
          `the host keys of location ${location.name} are unknown (BORGHIVE_SSH_HOST_KEYS_FILE): the client could only trust them on first use`,
        );
      }
      active.session = await PullSession.open(
        this.deps.runner,
        {
          host: client.host,
          port: client.port,
          user: client.user,
          hostKey: client.hostKey,
          privateKey: await this.deps.clients.privateKeyOf(em, client),
        },
        run.id,
      );
      const groups: number[] = [];
      active.session.onProcess = (pid) => {
        groups.push(pid);
        const processGroups = `${hostname()} ${groups.join(' ')}`.slice(0, 255);
        void this.deps.orm.em
          .fork()
          .nativeUpdate(BackupRun, { id: run.id }, { processGroups })
          .catch(() => undefined);
      };
      if (active.cancelled) throw new RunRefused('cancelled before it started', BackupRunState.CANCELLED);
      const timeoutMs = this.deps.runTimeoutMs ?? 12 * 3_600_000;
      const runKey = await this.deps.tools.generateKeyPair(`borg-hive-run-${run.id}`);
      const key = await addRunKey(em, repo, run.id, runKey.publicKey, this.deps.clock.now());
      run.runKeyId = key.id;
      await em.flush();
      const repoUrl = repositoryUrl(repo.repoUser, location.sshHost, location.sshPort, repo.name);
      const passphrase = await this.deps.jobs.passphraseOf(em, job);
      const storageKnownHosts = knownHostsLines(location.sshHost, location.sshPort, hostKeys);
      if (job.method === BackupMethod.SOCKET_FORWARDING) {
        await active.session.startStorageForward(runKey.privateKey, {
          host: location.sshHost,
          port: location.sshPort,
          user: repo.repoUser,
          knownHosts: storageKnownHosts,
        });
      } else {
        await active.session.startAgent(runKey.privateKey, Math.ceil(timeoutMs / 1000) + 60);
      }
      const onStderrLine = (line: string) => {
        const parsed = parseBorgLine(line);
        if (parsed.kind === 'progress') progress = parsed.progress;
        else if (parsed.kind === 'log') log.add(parsed.text);
        else return;
        publishSoon();
      };
      const result = await active.session.runRemote({
        borgArgs: borgCreateArgs({
          repoUrl,
          archiveName: job.archiveNamePattern,
          paths: job.paths,
          excludes: job.excludes,
          compression: job.compression,
        }),
        passphrase,
        storageKnownHosts,
        timeoutMs,
        onStderrLine,
      });
      const opts = {
        cancelled: active.cancelled,
        timeoutSeconds: Math.round(timeoutMs / 1000),
        clientFingerprint: client.hostKeyFingerprint,
      };
      outcome = outcomeOf('backup', result, log.toString(), opts);
      const stats = parseStats(result.stdout);
      if (stats) {
        run.stats = stats;
        run.archiveName = archiveNameOf(stats);
      }
      if (outcome.state === BackupRunState.SUCCEEDED) {
        client.lastSeenAt = this.deps.clock.now();
        if (job.retention) {
          log.add(
            `--- prune (${Object.entries(job.retention)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})`,
          );
          const prune = await active.session.runRemote({
            borgArgs: borgPruneArgs(repoUrl, job.retention, archiveGlob(job.archiveNamePattern)),
            passphrase,
            storageKnownHosts,
            timeoutMs,
            onStderrLine,
          });
          const pruned = outcomeOf('prune', prune, log.toString(), { ...opts, cancelled: active.cancelled });
          if (pruned.state !== BackupRunState.SUCCEEDED)
            outcome = { ...pruned, message: `backup succeeded; ${pruned.message}` };
        }
      }
    } catch (error) {
      outcome =
        error instanceof RunRefused
          ? { state: error.state, exitCode: null, message: error.message }
          : {
              state: BackupRunState.FAILED,
              exitCode: null,
              message: `the hive could not run it: ${(error as Error).message}`,
            };
      if (!(error instanceof RunRefused))
        this.deps.logger.error({ err: error, runId }, 'backup run failed in the hive');
    } finally {
      renew();
      timer.pending?.();
      await active.session?.dispose().catch(() => undefined);
      if (run.runKeyId !== null) {
        await removeRunKey(em.fork() as Em, run.runKeyId).catch((err: unknown) =>
          this.deps.logger.error({ err, runId }, 'could not remove the run key (the next recover() will)'),
        );
      }
    }
    await this.settle(em, run, outcome, log, progress);
    await this.recordOutcome(em, repo, run);
  }

  /** Stores how a run ended (its run key is gone by now) and tells its watchers: both kinds of run end here. */
  private async settle(
    em: Em,
    run: BackupRun,
    outcome: RunOutcome,
    log: BoundedLog,
    progress: BackupProgress | null,
  ): Promise<void> {
    run.runKeyId = null;
    run.state = outcome.state;
    run.exitCode = outcome.exitCode;
    run.message = outcome.message.slice(0, 1000);
    run.log = log.toString();
    run.finishedAt = this.deps.clock.now();
    run.leaseUntil = null;
    await em.flush();
    await this.publish(em, run, progress);
  }

  /**
   * A finished BACKUP run counts like a ping: success is a backup (staleness), failure makes it FAILED;
   * either is a message to the channels whose rules carry it (RUN_*, or the FAILED / RECOVERED incident).
   * A cancelled or interrupted run reports nothing.
   */
  private async recordOutcome(em: Em, repo: Repository, run: BackupRun): Promise<void> {
    const now = run.finishedAt ?? this.deps.clock.now();
    const succeeded = run.state === BackupRunState.SUCCEEDED;
    if (!succeeded && run.state !== BackupRunState.FAILED) return;
    if (succeeded) {
      repo.lastPingSuccessAt = now;
    } else {
      repo.lastPingFailureAt = now;
      repo.lastPingFailureStatus =
        run.exitCode !== null && run.exitCode >= 0 && run.exitCode <= 255 ? run.exitCode : null;
    }
    const { alerts, health, events } = this.deps;
    await reportFinishedRun({ alerts, health, events }, em, repo, succeeded, () =>
      succeeded
        ? events.record(
            em,
            repo,
            RepositoryEventType.BACKUP_SUCCEEDED,
            `backup run ${run.id}: ${run.message ?? ''}`,
          )
        : events.record(
            em,
            repo,
            RepositoryEventType.BACKUP_FAILED,
            `backup run ${run.id} failed: ${run.message ?? ''}`,
            { log: run.log },
          ),
    );
  }

  private async renew(run: BackupRun, active: ActiveRun): Promise<void> {
    const em = this.deps.orm.em.fork();
    try {
      await em.nativeUpdate(
        BackupRun,
        { id: run.id, leaseOwner: this.leaseOwner },
        { leaseUntil: new Date(this.deps.clock.now().getTime() + this.leaseMs) },
      );
      const row = await em.findOne(BackupRun, { id: run.id }, { fields: ['cancelRequested'] });
      if (row?.cancelRequested && !active.cancelled) {
        active.cancelled = true;
        active.session?.cancel(15_000);
      }
    } catch (err) {
      this.deps.logger.warn({ err, runId: run.id }, 'could not renew the lease of a backup run');
    }
  }

  private async publish(
    em: Em,
    run: BackupRun,
    progress: BackupProgress | null,
    live = false,
  ): Promise<void> {
    const repo = await em.findOneOrFail(Repository, { id: run.repository.id }, { populate: ['groups'] });
    const view = runView(run, progress);
    if (live && view.log.length > LIVE_LOG_CHARS) view.log = view.log.slice(-LIVE_LOG_CHARS);
    await this.deps.bus.publish('backupRunChanged', {
      ...audienceOf(repo),
      run: { ...view } as unknown as Record<string, unknown> & { id: number },
    });
  }
}

const LEFTOVER_PROGRAMS = new Set(['ssh', 'ssh-agent', 'socat']);

/**
 * Stops the process groups a dead hive's run left on this host (its ssh keeps the client's borg going,
 * and the repository locked). Only groups whose leader still is one of the programs a run starts are
 * signalled: a pid reused by something else since is left alone.
 */
export function stopLeftovers(processGroups: string | null): number {
  const [host, ...pids] = (processGroups ?? '').split(' ');
  if (host !== hostname()) return 0;
  let stopped = 0;
  for (const pid of pids.map(Number).filter((p) => Number.isInteger(p) && p > 1)) {
    let program: string;
    try {
      program = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } catch {
      continue;
    }
    if (!LEFTOVER_PROGRAMS.has(basename(program))) continue;
    try {
      process.kill(-pid, 'SIGTERM');
      stopped += 1;
    } catch {
      // gone meanwhile
    }
  }
  return stopped;
}

class RunRefused extends Error {
  constructor(
    message: string,
    readonly state: BackupRunState = BackupRunState.FAILED,
  ) {
    super(message);
  }
}

function parseStats(stdout: string): Record<string, unknown> | null {
  const start = stdout.indexOf('{');
  if (start < 0) return null;
  try {
    return JSON.parse(stdout.slice(start)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function archiveNameOf(stats: Record<string, unknown>): string | null {
  const name = (stats['archive'] as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name.slice(0, 200) : null;
}
