import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Timers } from '../../adapters/timers.js';
import type { RepoWatchEvent } from '../../adapters/watcher/watch-event.js';
import type { KnownRepository } from './event-sink.js';

export interface UnknownRepositoriesOptions {
  load: () => Promise<KnownRepository[]>;
  isKnown: (key: string) => boolean;
  adopt: (known: KnownRepository) => Promise<void>;
  accept: (event: RepoWatchEvent) => void;
  logger: Logger;
  intervalMs: number;
  clock: Clock;
  timers: Timers;
}

const keyOf = (r: { repoUser: string; repoName: string }): string => `${r.repoUser}/${r.repoName}`;

/**
 * Events of repositories the monitor does not know yet (created through the API after start) wait
 * here while the known repositories are reloaded, at most once per interval; what is still unknown
 * afterwards (a stray directory) is logged once and ignored.
 */
export class UnknownRepositories {
  #waiting: RepoWatchEvent[] = [];
  #lookup: Promise<void> | undefined;
  #last = 0;
  #stopped = false;
  readonly #warned = new Set<string>();

  constructor(private readonly opts: UnknownRepositoriesOptions) {}

  hold(event: RepoWatchEvent): void {
    if (this.#stopped) return;
    this.#waiting.push(event);
    this.#lookup ??= this.#run().finally(() => {
      this.#lookup = undefined;
      if (this.#waiting.length > 0 && !this.#stopped) this.hold(this.#waiting.pop()!);
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#lookup;
    this.#waiting = [];
  }

  async #run(): Promise<void> {
    const { clock, timers } = this.opts;
    const wait = Math.max(0, this.#last + this.opts.intervalMs - clock.now().getTime());
    await new Promise<void>((resolve) => timers.after(wait, resolve));
    if (this.#stopped) return;
    this.#last = clock.now().getTime();
    try {
      for (const known of await this.opts.load()) {
        if (!this.opts.isKnown(keyOf(known))) await this.opts.adopt(known);
      }
    } catch (err) {
      this.opts.logger.warn({ err }, 'loading the known repositories failed');
    }
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const event of waiting) {
      const key = keyOf(event);
      if (this.opts.isKnown(key)) this.opts.accept(event);
      else if (!this.#warned.has(key)) {
        this.#warned.add(key);
        this.opts.logger.warn(
          { repository: key, path: event.path },
          'a repository the hive does not know: ignored',
        );
      }
    }
  }
}
