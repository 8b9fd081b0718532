import type { EntityData, EntityName, FilterQuery } from '@mikro-orm/core';
import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em, Orm } from '../../db/orm.js';
import { BackupJob } from './backup-job.entity.js';
import type { BackupJobService } from './backup-job.service.js';
import type { BackupRunService } from './backup-run.service.js';
import { MaintenanceSchedule } from './maintenance-schedule.entity.js';
import type { MaintenanceScheduleService } from './maintenance-schedule.service.js';

export interface SchedulerTick {
  due: number;
  started: number;
  /** Held back by a limit (the job's previous run, the client's or location's limit): retried soon. */
  deferred: number;
  /** Another instance took them first. */
  lost: number;
  interrupted: number;
  /** Scheduled COMPACT and CHECK runs started (a due one held back by a run in progress is retried soon). */
  maintenanceStarted: number;
}

/** How long a scheduled start held back by a limit waits before it is tried again. */
export const RETRY_MS = 30_000;
const BATCH = 500;

/**
 * Starts the jobs whose time came. Each due occurrence is taken by one conditional update of the job's
 * nextRunAt (from the value read to the next occurrence, with jitter): of several hives on one database,
 * exactly one wins it and starts the run. Also marks runs of dead hives INTERRUPTED (their lease ran out).
 */
export class BackupScheduler {
  constructor(
    private readonly orm: Orm,
    private readonly jobs: BackupJobService,
    private readonly runs: BackupRunService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly maintenance: MaintenanceScheduleService,
    private readonly random: () => number = Math.random,
  ) {}

  async tick(): Promise<SchedulerTick> {
    const em = this.orm.em.fork() as Em;
    const interrupted = await this.runs.recover(em);
    const now = this.clock.now();
    const due = await em.find(
      BackupJob,
      { nextRunAt: { $lte: now }, schedule: { $ne: null } },
      { orderBy: { nextRunAt: 'asc', id: 'asc' }, limit: BATCH },
    );
    const tick: SchedulerTick = {
      due: due.length,
      started: 0,
      deferred: 0,
      lost: 0,
      interrupted,
      maintenanceStarted: 0,
    };
    for (const job of due) {
      const taken = await this.take(em, BackupJob, job, this.nextWithJitter(job, now), now, 'backup', () =>
        this.runs.startScheduled(em.fork() as Em, job),
      );
      tick[taken] += 1;
    }
    tick.maintenanceStarted = await this.startMaintenance(em, now);
    return tick;
  }

  /** Due COMPACT and CHECK schedules, each occurrence taken by one conditional update as jobs are. */
  private async startMaintenance(em: Em, now: Date): Promise<number> {
    const due = await em.find(
      MaintenanceSchedule,
      { nextRunAt: { $lte: now } },
      { orderBy: { nextRunAt: 'asc', id: 'asc' }, limit: BATCH },
    );
    let started = 0;
    for (const row of due) {
      const next = this.maintenance.nextRunAfter(row, now);
      const taken = await this.take(em, MaintenanceSchedule, row, next, now, 'maintenance', () =>
        this.runs.startScheduledMaintenance(em.fork() as Em, row.repository.id, row.task),
      );
      if (taken === 'started') started += 1;
    }
    return started;
  }

  /**
   * Takes one due occurrence by a conditional update of its nextRunAt (from the value read to `next`): of
   * several hives, exactly one wins it and starts it; one held back (a limit, a run in progress) is tried
   * again after RETRY_MS instead of being lost.
   */
  private async take<T extends { id: number; nextRunAt: Date | null }>(
    em: Em,
    entity: EntityName<T>,
    row: T,
    next: Date | null,
    now: Date,
    what: string,
    start: () => Promise<object | null>,
  ): Promise<'lost' | 'started' | 'deferred'> {
    const at = (nextRunAt: Date | null) => ({ id: row.id, nextRunAt }) as FilterQuery<T>;
    const set = (nextRunAt: Date | null) => ({ nextRunAt }) as EntityData<T>;
    if ((await em.nativeUpdate(entity, at(row.nextRunAt), set(next))) !== 1) return 'lost';
    try {
      if (await start()) return 'started';
    } catch (err) {
      this.logger.error({ err, id: row.id }, `a scheduled ${what} could not start`);
    }
    const retry = new Date(now.getTime() + RETRY_MS);
    await em.nativeUpdate(entity, at(next), set(next && next < retry ? next : retry));
    return 'deferred';
  }

  private nextWithJitter(job: BackupJob, now: Date): Date | null {
    const next = this.jobs.nextRunAfter(job, now);
    if (!next) return null;
    return new Date(next.getTime() + Math.floor(this.random() * job.jitterSeconds * 1000));
  }
}
