import type { Logger } from 'pino';
import { diskUsage } from '../../adapters/watcher/disk-usage.js';

export type UsageMeasured = (key: string, usageBytes: number, at: Date) => void;

/**
 * Usage measurements off the event path: a repository asked for several times while waiting is
 * measured once (after `delayMs` of quiet, so a burst of commits costs one walk), one walk at a time.
 */
export class UsageQueue {
  readonly #pending = new Map<string, string>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly measured: UsageMeasured,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
  ) {}

  /** Asks for a measurement of `path` (the repository directory) under `key`. */
  schedule(key: string, path: string): void {
    if (this.#stopped) return;
    this.#pending.set(key, path);
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#kick(), this.delayMs);
    this.#timer.unref();
  }

  /** Measures every pending repository now; resolves when the queue is empty. */
  async drain(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#kick();
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#pending.clear();
    await this.#running;
  }

  #kick(): void {
    this.#timer = undefined;
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
        const at = new Date();
        this.measured(key, await diskUsage(path), at);
      } catch (err) {
        this.logger.warn({ err, repository: key }, 'usage measurement failed');
      }
    }
  }
}
