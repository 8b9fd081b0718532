import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { REPO_USER, REPOSITORY_NAME } from '@borg-hive/rules';
import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { ProcessRunner } from '../../adapters/process/process-runner.js';
import type { Timers } from '../../adapters/timers.js';
import {
  borg2LockBreakMessage,
  BoundedLog,
  collectBorgLog,
  lockInUse,
  maintenanceArgs,
  maintenanceOutcome,
  MAX_REPORT_MESSAGE,
  type MaintenanceTask,
} from '../backup/index.js';
import type { MaintenanceDisk, Owner } from './maintenance-disk.js';
import {
  HiveRefused,
  type ClaimedRun,
  type MaintenanceApi,
  type MaintenanceResult,
} from './maintenance-api.js';

export interface MaintenanceWorkerOptions {
  repoPath: string;
  logger: Logger;
  /** How often the hive is asked for work (and once at start). */
  pollMs?: number;
  /** How often a claimed run's claim is renewed (the hive's lease is 2 min). */
  renewMs?: number;
  /** Runs at once (a BREAK_LOCK must not wait for a long COMPACT of another repository). */
  maxRuns?: number;
  timeoutMs?: number;
  /** The borg 1 program. */
  borg?: string;
}

export interface MaintenanceWorkerPorts {
  api: MaintenanceApi;
  runner: ProcessRunner;
  disk: MaintenanceDisk;
  clock: Clock;
  timers: Timers;
  /** The agent's own user id (only root runs borg as the repository's owner). */
  uid: number;
}

const REPORT_TRIES = 6;

/**
 * The agent's maintenance: asks the hive for runs queued for its location, runs borg 1's compact, check
 * --repository-only or break-lock on the repository's directory itself, as the directory's owner (so that
 * borg leaves no root-owned file in it), or for borg 2 removes the stale lock files; renews each claim
 * while it works (a cancel, or a claim the hive took back, stops borg) and reports how it ended.
 */
export class MaintenanceWorker {
  readonly agentId = randomUUID();
  readonly #running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  #polling: Promise<void> | undefined;
  #stopPolling: (() => void) | undefined;
  #stopped = false;

  constructor(
    private readonly opts: MaintenanceWorkerOptions,
    private readonly ports: MaintenanceWorkerPorts,
  ) {}

  /** Asks for work now, then every pollMs. */
  start(): void {
    void this.poll();
    this.#stopPolling = this.ports.timers.every(this.opts.pollMs ?? 10_000, () => void this.poll());
  }

  /** Claims runs while there are some and room for them (one poll at a time). */
  poll(): Promise<void> {
    this.#polling ??= this.#claimAll()
      .catch((err: unknown) => this.opts.logger.warn({ err }, 'could not ask the hive for maintenance'))
      .finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  /** Waits for the poll and the runs under way (tests, stop). */
  async idle(): Promise<void> {
    await this.#polling;
    await Promise.all([...this.#running.values()].map((r) => r.done));
  }

  /** Stops asking, stops borg and reports what stopped as CANCELLED. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopPolling?.();
    for (const run of this.#running.values()) run.abort.abort();
    await this.idle();
  }

  get running(): number {
    return this.#running.size;
  }

  async #claimAll(): Promise<void> {
    while (!this.#stopped && this.#running.size < (this.opts.maxRuns ?? 4)) {
      const job = await this.ports.api.claim(this.agentId);
      if (!job) return;
      this.opts.logger.info({ runId: job.runId, task: job.task, repo: job.repoName }, 'maintenance claimed');
      const abort = new AbortController();
      const done = this.#run(job, abort)
        .catch((err: unknown) => this.opts.logger.error({ err, runId: job.runId }, 'maintenance run crashed'))
        .finally(() => this.#running.delete(job.runId));
      this.#running.set(job.runId, { abort, done });
    }
  }

  async #run(job: ClaimedRun, abort: AbortController): Promise<void> {
    let cancelled = false;
    let lost: string | null = null;
    const renew = this.ports.timers.every(this.opts.renewMs ?? 30_000, () => {
      this.ports.api.renew(job.runId, this.agentId).then(
        (lease) => {
          if (lease.cancelRequested && !cancelled) {
            cancelled = true;
            abort.abort();
          }
        },
        (err: unknown) => {
          if (!(err instanceof HiveRefused)) {
            this.opts.logger.warn({ err, runId: job.runId }, 'could not renew the claim; borg goes on');
            return;
          }
          lost = err.message;
          abort.abort();
        },
      );
    });
    let result: MaintenanceResult;
    try {
      result = await this.#execute(job, abort.signal, () => cancelled || this.#stopped);
    } catch (err) {
      result = {
        state: 'FAILED',
        exitCode: null,
        message: `the agent could not run it: ${(err as Error).message}`.slice(0, MAX_REPORT_MESSAGE),
        log: '',
      };
    } finally {
      renew();
    }
    if (lost !== null) {
      this.opts.logger.warn({ runId: job.runId, reason: lost }, 'the hive took the run back: borg stopped');
      return;
    }
    await this.#report(job.runId, result);
  }

  async #execute(job: ClaimedRun, signal: AbortSignal, cancelled: () => boolean): Promise<MaintenanceResult> {
    const failed = (message: string): MaintenanceResult => ({
      state: 'FAILED',
      exitCode: null,
      message,
      log: '',
    });
    if (!REPO_USER.test(job.repoUser) || !REPOSITORY_NAME.test(job.repoName))
      return failed(
        `the hive named no valid repository (${job.repoUser}/${job.repoName})`.slice(0, MAX_REPORT_MESSAGE),
      );
    const path = join(this.opts.repoPath, job.repoUser, job.repoName);
    const owner = await this.ports.disk.ownerOf(path);
    if (!owner) return failed(`the repository's directory ${path} is not on this storage node`);
    if (job.borgVersion === 'BORG2') {
      if (job.task !== 'BREAK_LOCK') return failed(`${job.task} of a borg 2 repository needs its borg key`);
      const broken = await this.ports.disk.breakBorg2Locks(path, this.ports.clock.now(), job.isOpen);
      return { state: 'SUCCEEDED', exitCode: 0, message: borg2LockBreakMessage(broken), log: '' };
    }
    if (job.task === 'BREAK_LOCK') {
      // the hive's rule, on the node's own disk: a lock is broken only when no session holds it
      const lock = await this.ports.disk.lockState(path);
      if ((job.isOpen || lock !== 'none') && lock !== 'stale') return failed(lockInUse(job.repoName));
    }
    return this.#borg(job, path, owner, signal, cancelled);
  }

  /** borg 1 on the repository's directory, as its owner. */
  async #borg(
    job: ClaimedRun,
    path: string,
    owner: Owner,
    signal: AbortSignal,
    cancelled: () => boolean,
  ): Promise<MaintenanceResult> {
    const task = job.task as MaintenanceTask;
    const home = await this.ports.disk.tempHome(owner);
    const log = new BoundedLog();
    const timeoutMs = this.opts.timeoutMs ?? 12 * 3_600_000;
    try {
      const asOwner = this.ports.uid === 0 && owner.uid !== 0 ? { uid: owner.uid, gid: owner.gid } : {};
      const result = await this.ports.runner.run({
        program: this.opts.borg ?? 'borg',
        args: maintenanceArgs(task, path),
        env: { HOME: home.path, BORG_BASE_DIR: home.path, BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes' },
        cwd: home.path,
        ...asOwner,
        timeoutMs,
        signal,
        onStderrLine: collectBorgLog(log),
      });
      if (result.spawnError && !result.cancelled)
        return {
          state: 'FAILED',
          exitCode: null,
          message: `cannot start borg: ${result.spawnError}`,
          log: '',
        };
      const outcome = maintenanceOutcome(task, result, log, cancelled(), timeoutMs);
      return {
        state: outcome.state as MaintenanceResult['state'],
        exitCode: outcome.exitCode,
        message: outcome.message.slice(0, MAX_REPORT_MESSAGE),
        log: log.toString(),
      };
    } finally {
      await home.remove().catch(() => undefined);
    }
  }

  /** Reports the outcome, tried again while the hive is unreachable (within the claim's 2 min). */
  async #report(runId: number, result: MaintenanceResult): Promise<void> {
    let delay = 2_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ports.api.report(runId, this.agentId, result);
        this.opts.logger.info(
          { runId, state: result.state, message: result.message },
          'maintenance reported',
        );
        return;
      } catch (err) {
        if (err instanceof HiveRefused || attempt >= REPORT_TRIES) {
          this.opts.logger.error({ err, runId, result }, 'the hive did not take the outcome of a run');
          return;
        }
        await new Promise<void>((resolve) => this.ports.timers.after(delay, resolve));
        delay *= 2;
      }
    }
  }
}
