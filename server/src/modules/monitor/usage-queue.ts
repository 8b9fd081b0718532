import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../adapters/clock.js';
import { systemTimers, type Cancel, type Timers } from '../../adapters/timers.js';
import { diskUsage } from '../../adapters/watcher/disk-usage.js';

export type UsageMeasured = (key: string, usageBytes: number, at: Date) => void;

/** What the queue needs of the world: a disk walk (bytes under a directory), the time and delays. */
export interface UsageQueuePorts {
  measure: (path: string) => Promise<number>;
  clock: Clock;
  timers: Timers;
}

/** The longest a request waits for quiet before it is measured anyway. */
export const MAX_WAIT_MS = 30_000;

const systemPorts: UsageQueuePorts = { measure: diskUsage, clock: systemClock, timers: systemTimers };

/**
 * Usage measurements off the event path: a repository asked for several times while waiting is
 * measured once (after `delayMs` of quiet, so a burst of commits costs one walk), one walk at a time.
 */
export class UsageQueue {
  readonly #pending = new Map<string, string>();
  #timer: Cancel | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  /** When the oldest request not measured yet came (undefined: none waits). */
  #waitingSince: number | undefined;

  constructor(
    private readonly measured: UsageMeasured,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
    private readonly ports: UsageQueuePorts = systemPorts,
  ) {}

  /** Asks for a measurement of `path` (the repository directory) under `key`. */
  schedule(key: string, path: string): void {
    if (this.#stopped) return;
    this.#pending.set(key, path);
    const now = this.ports.clock.now().getTime();
    this.#waitingSince ??= now;
    // quiet for delayMs, but never later than MAX_WAIT_MS after the first waiting request: writes that
    // never stop (a long push, busy repositories) do not hold a measurement back for good
    const delay = Math.max(0, Math.min(this.delayMs, this.#waitingSince + MAX_WAIT_MS - now));
    this.#timer?.();
    this.#timer = this.ports.timers.after(delay, () => this.#kick());
  }

  /** Measures every pending repository now; resolves when the queue is empty. */
  async drain(): Promise<void> {
    this.#timer?.();
    this.#kick();
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.();
    this.#pending.clear();
    await this.#running;
  }

  #kick(): void {
    this.#timer = undefined;
    this.#waitingSince = undefined;
    if (this.#running || this.#pending.size === 0) return;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#pending.size > 0 && !this.#stopped) this.#kick();
    });
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const next = this.#pending.entries().next();
      if (next.done) return;
      const [key, path] = next.value;
      this.#pending.delete(key);
      try {
        const at = this.ports.clock.now();
        this.measured(key, await this.ports.measure(path), at);
      } catch (err) {
        this.logger.warn({ err, repository: key }, 'usage measurement failed');
      }
    }
  }
}
