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
      const next = this.nextWithJitter(job, now);
      const won = await em.nativeUpdate(
        BackupJob,
        { id: job.id, nextRunAt: job.nextRunAt },
        { nextRunAt: next },
      );
      if (won !== 1) {
        tick.lost += 1;
        continue;
      }
      try {
        const run = await this.runs.startScheduled(em.fork() as Em, job);
        if (run) {
          tick.started += 1;
          continue;
        }
      } catch (err) {
        this.logger.error({ err, jobId: job.id }, 'a scheduled backup could not start');
      }
      // held back: this occurrence is tried again shortly instead of being lost
      const retry = new Date(now.getTime() + RETRY_MS);
      await em.nativeUpdate(
        BackupJob,
        { id: job.id, nextRunAt: next },
        { nextRunAt: next && next < retry ? next : retry },
      );
      tick.deferred += 1;
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
      const won = await em.nativeUpdate(
        MaintenanceSchedule,
        { id: row.id, nextRunAt: row.nextRunAt },
        { nextRunAt: next },
      );
      if (won !== 1) continue;
      try {
        if (await this.runs.startScheduledMaintenance(em.fork() as Em, row.repository.id, row.task)) {
          started += 1;
          continue;
        }
      } catch (err) {
        this.logger.error({ err, scheduleId: row.id }, 'a scheduled maintenance could not start');
      }
      // another run of the repository is in progress: tried again shortly
      const retry = new Date(now.getTime() + RETRY_MS);
      await em.nativeUpdate(
        MaintenanceSchedule,
        { id: row.id, nextRunAt: next },
        { nextRunAt: next && next < retry ? next : retry },
      );
    }
    return started;
  }

  private nextWithJitter(job: BackupJob, now: Date): Date | null {
    const next = this.jobs.nextRunAfter(job, now);
    if (!next) return null;
    return new Date(next.getTime() + Math.floor(this.random() * job.jitterSeconds * 1000));
  }
}
