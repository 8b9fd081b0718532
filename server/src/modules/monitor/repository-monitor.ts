import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Cancel } from '../../adapters/timers.js';
import { applyEvent, reconcileEvents } from '../../adapters/watcher/apply-event.js';
import type { RepositoryState } from '../../adapters/watcher/repository-state.js';
import type { RepoWatchEvent } from '../../adapters/watcher/watch-event.js';
import type { EventSink, KnownRepository, WatchReport } from './event-sink.js';
import { systemMonitorPorts, type MonitorPorts, type WatchSource } from './monitor-ports.js';
import { UsageQueue } from './usage-queue.js';
import { UnknownRepositories } from './unknown-repositories.js';

export interface RepositoryMonitorOptions {
  repoPath: string;
  sink: EventSink;
  logger: Logger;
  /** Quiet time before a changed repository's usage is measured (coalescing). Default 1 s. */
  usageDelayMs?: number;
  lockFallbackMs?: number;
  /** Least time between two reloads of the known repositories for an unknown one. Default 1 s. */
  relookupMs?: number;
  /** The watcher, the disk, the clock and timers (default: the real ones). */
  ports?: MonitorPorts;
}

const BATCH = 500;
const PARALLEL_READS = 16;
const keyOf = (r: { repoUser: string; repoName: string }): string => `${r.repoUser}/${r.repoName}`;

/**
 * Runs the repository watcher and turns what it sees into reports for an EventSink (the hive itself,
 * or a remote hive when run as `borg-hive agent`). Keeps the state it believes per repository, so a
 * duplicate (a live event a reconciliation already accounted for) is never reported. Reconciles at
 * start and after any watcher error: listener first, events buffered while every known repository's
 * state is compared with the disk, then the buffered events (duplicates fall out in applyEvent).
 * Usage is measured after a write session, an update or a creation, coalesced, off the event path.
 */
export class RepositoryMonitor {
  readonly #opts: RepositoryMonitorOptions;
  readonly #ports: MonitorPorts;
  readonly #usage: UsageQueue;
  readonly #unknown: UnknownRepositories;
  #states = new Map<string, RepositoryState>();
  #watcher: WatchSource | undefined;
  #buffer: RepoWatchEvent[] | undefined;
  #outbox: WatchReport[] = [];
  #flushing: Promise<void> | undefined;
  /** While a reconciliation reads the disk, its reports wait: then they go in full batches. */
  #holding = false;
  #reconciling: Promise<void> | undefined;
  #retry: Cancel | undefined;
  #stopped = false;
  /** How long start() took: the watcher's initial scan, then the reconciliation (disk reads). */
  readonly startup = { scanMs: 0, reconcileMs: 0 };
  /** Watcher failures answered by a full reconciliation (the metrics' borghive_watcher_restarts_total). */
  restarts = 0;

  constructor(opts: RepositoryMonitorOptions) {
    this.#opts = opts;
    const ports = opts.ports ?? systemMonitorPorts;
    this.#ports = ports;
    this.#usage = new UsageQueue(
      (key, usageBytes, at) => this.#measured(key, usageBytes, at),
      opts.logger,
      opts.usageDelayMs,
      { measure: (dir) => ports.disk.usage(dir), clock: ports.clock, timers: ports.timers },
    );
    this.#unknown = new UnknownRepositories({
      load: () => opts.sink.knownRepositories(),
      isKnown: (key) => this.#states.has(key),
      adopt: (known) => this.#adopt(known),
      accept: (event) => this.#apply(event),
      logger: opts.logger,
      intervalMs: opts.relookupMs ?? 1000,
      clock: ports.clock,
      timers: ports.timers,
    });
  }

  /**
   * Resolves when the watcher is ready and every repository's state was read from disk; what the
   * reconciliation found is reported in the background (see flushed()).
   */
  async start(): Promise<void> {
    await this.#ports.ensureRoot(this.#opts.repoPath);
    const watcher = this.#ports.watch({
      repoPath: this.#opts.repoPath,
      logger: this.#opts.logger,
      lockFallbackMs: this.#opts.lockFallbackMs,
    });
    this.#watcher = watcher;
    this.#buffer = [];
    watcher.on((event) => (this.#buffer ? this.#buffer.push(event) : this.#accept(event)));
    watcher.onError(() => {
      this.restarts++;
      void this.reconcile().catch(() => undefined);
    });
    const t0 = performance.now();
    await watcher.start();
    const t1 = performance.now();
    await this.#reconcile(true);
    this.startup.scanMs = t1 - t0;
    this.startup.reconcileMs = performance.now() - t1;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry?.();
    await this.#watcher?.stop();
    // measure what is pending rather than drop it: after a restart nothing would ask for it again
    await this.#usage.drain().catch(() => undefined);
    await this.#usage.stop();
    await this.#unknown.stop();
    await this.#reconciling?.catch(() => undefined);
    await this.flushed();
  }

  /** Compares every known repository with the disk again (after a watcher error, or on demand). */
  reconcile(): Promise<void> {
    this.#reconciling ??= this.#reconcile(false).finally(() => (this.#reconciling = undefined));
    return this.#reconciling;
  }

  /** Resolves when every report so far has reached the sink. */
  async flushed(): Promise<void> {
    while (this.#flushing || this.#reconciling) {
      await this.#reconciling?.catch(() => undefined);
      await this.#flushing;
    }
  }

  /** Measures pending usage now and waits until everything is reported (tests, shutdown). */
  async settled(): Promise<void> {
    await this.#usage.drain();
    await this.flushed();
  }

  /** The daily run: usage of every present repository; one broken repository never stops the rest. */
  async measureAll(): Promise<{ ok: number; failed: number }> {
    let ok = 0;
    let failed = 0;
    for (const [key, state] of [...this.#states]) {
      if (!state.exists || this.#stopped) continue;
      try {
        this.#measured(
          key,
          await this.#ports.disk.usage(join(this.#opts.repoPath, key)),
          this.#ports.clock.now(),
        );
        ok++;
      } catch (err) {
        failed++;
        this.#opts.logger.warn({ err, repository: key }, 'daily usage measurement failed');
      }
    }
    await this.flushed();
    return { ok, failed };
  }

  async #reconcile(fromDatabase: boolean): Promise<void> {
    this.#buffer ??= [];
    this.#holding = true;
    try {
      const known = await this.#opts.sink.knownRepositories();
      const states = new Map<string, RepositoryState>();
      for (const k of known) states.set(keyOf(k), (!fromDatabase && this.#states.get(keyOf(k))) || k.state);
      this.#states = states;
      for (let i = 0; i < known.length; i += PARALLEL_READS) {
        await Promise.all(known.slice(i, i + PARALLEL_READS).map((k) => this.#reconcileOne(k)));
      }
    } finally {
      this.#holding = false;
      const live = this.#buffer ?? [];
      this.#buffer = undefined;
      for (const event of live) this.#accept(event);
      this.#kick();
    }
  }

  async #reconcileOne(known: KnownRepository): Promise<void> {
    const key = keyOf(known);
    const previous = this.#states.get(key);
    if (!previous) return;
    const ref = { repoUser: known.repoUser, repoName: known.repoName, path: join(this.#opts.repoPath, key) };
    const current = await this.#ports.disk.state(ref.path);
    if (!current.initialized && !previous.exists) return; // borg init has not got far yet
    for (const event of reconcileEvents(previous, current, ref, this.#ports.clock.now())) this.#apply(event);
  }

  /** A repository the hive learnt about after start: reconcile it, then its waiting live events apply. */
  async #adopt(known: KnownRepository): Promise<void> {
    this.#states.set(keyOf(known), known.state);
    await this.#reconcileOne(known);
  }

  #accept(event: RepoWatchEvent): void {
    if (this.#states.has(keyOf(event))) this.#apply(event);
    else this.#unknown.hold(event);
  }

  #apply(event: RepoWatchEvent): void {
    const key = keyOf(event);
    const state = this.#states.get(key);
    if (!state) return;
    const next = applyEvent(state, event);
    if (next === state) return;
    this.#states.set(key, next);
    this.#push({ repoUser: event.repoUser, repoName: event.repoName, type: event.type, at: event.at });
    if (event.type === 'CLOSED' || event.type === 'UPDATED' || event.type === 'CREATED') {
      this.#usage.schedule(key, event.path);
    }
  }

  #measured(key: string, usageBytes: number, at: Date): void {
    const [repoUser = '', repoName = ''] = key.split('/');
    if (this.#states.get(key)?.exists) this.#push({ repoUser, repoName, type: 'MEASURED', at, usageBytes });
  }

  #push(report: WatchReport): void {
    this.#outbox.push(report);
    this.#kick();
  }

  #kick(): void {
    if (this.#holding || this.#outbox.length === 0) return;
    this.#flushing ??= this.#flush().finally(() => (this.#flushing = undefined));
  }

  async #flush(): Promise<void> {
    while (this.#outbox.length > 0) {
      const batch = this.#outbox.splice(0, BATCH);
      try {
        await this.#opts.sink.reportEvents(batch);
      } catch (err) {
        // The hive did not take them (database down): start over from its state in a while.
        this.#opts.logger.error({ err, reports: batch.length }, 'reporting repository events failed');
        if (!this.#stopped && !this.#retry) {
          this.#retry = this.#ports.timers.after(5000, () => {
            this.#retry = undefined;
            void this.#reconcile(true).catch((e: unknown) =>
              this.#opts.logger.error({ err: e }, 'reconcile failed'),
            );
          });
        }
      }
    }
  }
}
