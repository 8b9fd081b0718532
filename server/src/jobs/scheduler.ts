import type { Logger } from 'pino';
import { systemTimers, type Cancel, type Timers } from '../adapters/timers.js';

export interface Job {
  name: string;
  everyMs: number;
  /** Run once shortly after start as well. */
  atStart: boolean;
  run(): Promise<unknown>;
}

/** Periodic background jobs; a run never overlaps itself and a failure is logged, never fatal. */
export class Scheduler {
  private cancels: Cancel[] = [];
  private running = new Map<string, Promise<unknown>>();
  private firstRuns: Promise<void>[] = [];

  constructor(
    private readonly logger: Logger,
    private readonly timers: Timers = systemTimers,
  ) {}

  start(jobs: Job[]): void {
    for (const job of jobs) {
      if (job.atStart)
        this.firstRuns.push(new Promise((done) => this.timers.defer(() => done(this.runNow(job)))));
      this.cancels.push(this.timers.every(job.everyMs, () => void this.runNow(job)));
    }
  }

  /** Resolves when the runs at start have finished (failed runs included). */
  async startedUp(): Promise<void> {
    await Promise.all(this.firstRuns);
  }

  async runNow(job: Job): Promise<void> {
    if (this.running.has(job.name)) return;
    const p = job.run().then(
      (result) => this.logger.debug({ job: job.name, result }, 'job done'),
      (err: unknown) => this.logger.warn({ err, job: job.name }, 'job failed; will retry on schedule'),
    );
    this.running.set(job.name, p);
    try {
      await p;
    } finally {
      this.running.delete(job.name);
    }
  }

  async stop(): Promise<void> {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
    await Promise.allSettled([...this.running.values()]);
  }
}
