import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Cancel } from '../../adapters/timers.js';
import { applyEvent, reconcileEvents } from '../../adapters/watcher/apply-event.js';
import { newer, type RepositoryState } from '../../adapters/watcher/repository-state.js';
import type { RepoWatchEvent } from '../../adapters/watcher/watch-event.js';
import type { EventSink, KnownRepository, WatchReport } from './event-sink.js';
import { borg2LiveReport, borg2Reconcile } from './borg2-reports.js';
import {
  systemMonitorPorts,
  type Borg2Source,
  type MonitorPorts,
  type WatchSource,
} from './monitor-ports.js';
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
  /**
   * How often the known repositories are reloaded to adopt new ones (borg 2 repositories show the borg 1
   * watcher nothing it could ask about). Default 10 s; 0: never.
   */
  adoptEveryMs?: number;
  /**
   * Reports are gathered this long before they go to the sink together (one transaction, one view read
   * per batch instead of per report under a steady load). Default 0: each goes at once. flushed() and
   * stop() send what is gathered without waiting.
   */
  batchMs?: number;
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
  #borg2: Borg2Source | undefined;
  /** Keys of the repositories watched by the borg 2 watcher, with the archive count last reported. */
  readonly #borg2Counts = new Map<string, number | null>();
  /** Key object ids of the borg 2 repositories as last reported (null: never seen a key). */
  readonly #borg2Keys = new Map<string, string[] | null>();
  /** Repo users whose homes hold borg 2 repositories only: the borg 1 watcher leaves them alone. */
  readonly #skipped = new Set<string>();
  #adoptTimer: Cancel | undefined;
  /** Repositories written to since their last measurement (see #written). */
  readonly #writtenKeys = new Set<string>();
  /** Key objects that came and went while a borg 2 session was open: reported together when it closes. */
  readonly #keyChanges = new Map<string, { added: WatchReport | null; removed: WatchReport | null }>();
  #buffer: (RepoWatchEvent | WatchReport)[] | undefined;
  #outbox: WatchReport[] = [];
  #flushing: Promise<void> | undefined;
  /** The pending batchMs wait (see RepositoryMonitorOptions.batchMs), cancelled by flushed(). */
  #gathering: { cancel: Cancel; send: () => void } | undefined;
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
    watcher.onWrite?.((repo) => this.#written(repo));
    watcher.onError(() => {
      this.restarts++;
      void this.reconcile().catch(() => undefined);
    });
    const borg2Ports = this.#ports.borg2 ?? systemMonitorPorts.borg2!;
    this.#borg2 = borg2Ports.watch({ logger: this.#opts.logger });
    this.#borg2.on((event) => {
      const report = borg2LiveReport(event, this.#ports.clock.now());
      if (this.#buffer) this.#buffer.push(report);
      else this.#applyReport(report);
    });
    // homes holding borg 2 repositories only are left out of the borg 1 watcher's scan from the start
    const known = await this.#opts.sink.knownRepositories();
    this.#skipBorg2Homes(known);
    const t0 = performance.now();
    await watcher.start();
    const t1 = performance.now();
    await this.#reconcile(true, known);
    this.startup.scanMs = t1 - t0;
    this.startup.reconcileMs = performance.now() - t1;
    const every = this.#opts.adoptEveryMs ?? 10_000;
    if (every > 0) this.#adoptTimer = this.#ports.timers.every(every, () => void this.adoptNew());
  }

  /**
   * Reloads the known repositories and adopts those not watched yet (a borg 2 repository created through
   * the API, or one whose layout a refresh recognised as borg 2).
   */
  async adoptNew(): Promise<void> {
    if (this.#stopped || this.#reconciling) return;
    try {
      for (const known of await this.#opts.sink.knownRepositories()) {
        const key = keyOf(known);
        const borg2 = known.borgVersion === 'BORG2';
        if (!this.#states.has(key) || borg2 !== this.#borg2Counts.has(key)) await this.#adopt(known);
      }
    } catch (err) {
      this.#opts.logger.warn({ err }, 'adopting new repositories failed');
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry?.();
    this.#adoptTimer?.();
    await this.#watcher?.stop();
    await this.#borg2?.stop();
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
    this.#gathering?.send();
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

  async #reconcile(fromDatabase: boolean, loaded?: KnownRepository[]): Promise<void> {
    this.#buffer ??= [];
    this.#holding = true;
    try {
      const known = loaded ?? (await this.#opts.sink.knownRepositories());
      const states = new Map<string, RepositoryState>();
      for (const k of known) states.set(keyOf(k), (!fromDatabase && this.#states.get(keyOf(k))) || k.state);
      this.#states = states;
      const borg2 = new Set(known.filter((k) => k.borgVersion === 'BORG2').map(keyOf));
      for (const key of [...this.#borg2Counts.keys()]) {
        if (borg2.has(key)) continue;
        this.#borg2Counts.delete(key);
        this.#borg2Keys.delete(key);
        this.#borg2?.remove(join(this.#opts.repoPath, key));
      }
      for (let i = 0; i < known.length; i += PARALLEL_READS) {
        await Promise.all(known.slice(i, i + PARALLEL_READS).map((k) => this.#reconcileOne(k)));
      }
      this.#updateSkipped(new Set(known.map((k) => k.repoUser)));
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
    if (known.borgVersion === 'BORG2') return this.#reconcileBorg2(known, previous);
    const ref = { repoUser: known.repoUser, repoName: known.repoName, path: join(this.#opts.repoPath, key) };
    const current = await this.#ports.disk.state(ref.path);
    if (!current.initialized && !previous.exists) return; // borg init has not got far yet
    for (const event of reconcileEvents(previous, current, ref, this.#ports.clock.now())) this.#apply(event);
  }

  /**
   * A borg 2 repository: what happened while nobody watched (against the stored state and archive
   * count), then the borg 2 watcher from exactly the state read here (its rescan after attaching
   * reports what came in between).
   */
  async #reconcileBorg2(known: KnownRepository, previous: RepositoryState): Promise<void> {
    const key = keyOf(known);
    const ref = { repoUser: known.repoUser, repoName: known.repoName, path: join(this.#opts.repoPath, key) };
    const stored = this.#borg2Counts.has(key) ? this.#borg2Counts.get(key)! : (known.archiveCount ?? null);
    this.#borg2Counts.set(key, stored);
    const keys = this.#borg2Keys.has(key) ? this.#borg2Keys.get(key)! : (known.keyIds ?? null);
    this.#borg2Keys.set(key, keys);
    const current = await (this.#ports.borg2 ?? systemMonitorPorts.borg2!).state(ref.path);
    const reports = borg2Reconcile(ref, previous, stored, current, this.#ports.clock.now(), keys);
    for (const report of reports) this.#applyReport(report);
    if (current.exists) {
      this.#borg2Counts.set(key, current.archiveIds.length);
      this.#borg2Keys.set(key, current.keyIds);
    }
    await this.#borg2?.add(ref, current);
  }

  /** A repository the hive learnt about after start: reconcile it, then its waiting live events apply. */
  async #adopt(known: KnownRepository): Promise<void> {
    const key = keyOf(known);
    this.#states.set(key, this.#states.get(key) ?? known.state);
    if (known.borgVersion !== 'BORG2' && this.#borg2Counts.delete(key)) {
      this.#borg2Keys.delete(key);
      this.#borg2?.remove(join(this.#opts.repoPath, key));
    }
    await this.#reconcileOne(known);
    this.#updateSkipped([known.repoUser]);
    this.#skipIfBorg2Only(known.repoUser);
  }

  /**
   * A home that holds borg 2 repositories only once `repoUser`'s new one is adopted (made through the API,
   * or recognised as borg 2 by a refresh) is left to the Borg2Watcher, as at start: its borg 1 watches go.
   */
  #skipIfBorg2Only(repoUser: string): void {
    const watcher = this.#watcher;
    if (!watcher?.skip || this.#skipped.has(repoUser)) return;
    for (const key of this.#states.keys())
      if (key.slice(0, key.indexOf('/')) === repoUser && !this.#borg2Counts.has(key)) return;
    this.#skipped.add(repoUser);
    watcher.skip(repoUser);
  }

  /** Before the first scan: the homes whose every known repository is a borg 2 one. */
  #skipBorg2Homes(known: KnownRepository[]): void {
    const watcher = this.#watcher;
    if (!watcher?.skip) return;
    const onlyBorg2 = new Map<string, boolean>();
    for (const k of known)
      onlyBorg2.set(k.repoUser, (onlyBorg2.get(k.repoUser) ?? true) && k.borgVersion === 'BORG2');
    for (const [user, only] of onlyBorg2) {
      if (!only) continue;
      this.#skipped.add(user);
      watcher.skip(user);
    }
  }

  /**
   * A skipped home (borg 2 repositories only, see #skipBorg2Homes and #skipIfBorg2Only) that now holds a
   * borg 1 repository is watched again.
   */
  #updateSkipped(users: Iterable<string>): void {
    const watcher = this.#watcher;
    if (!watcher?.unskip) return;
    const wanted = new Set([...users].filter((user) => this.#skipped.has(user)));
    if (wanted.size === 0) return;
    for (const key of this.#states.keys()) {
      const user = key.slice(0, key.indexOf('/'));
      if (!wanted.has(user) || this.#borg2Counts.has(key)) continue;
      wanted.delete(user);
      this.#skipped.delete(user);
      watcher.unskip(user);
    }
  }

  #accept(event: RepoWatchEvent | WatchReport): void {
    if ('type' in event && !('path' in event)) return this.#applyReport(event);
    const key = keyOf(event);
    // a borg 2 repository shows borg 1's watcher only its directory: its going is all that counts there
    if (this.#borg2Counts.has(key) && event.type !== 'DELETED') return;
    if (this.#states.has(key)) this.#apply(event);
    else this.#unknown.hold(event);
  }

  /**
   * A borg 2 report (live or reconciled): lock, creation and deletion through applyEvent like borg 1's
   * (a duplicate is dropped), a new archive when newer than the last backup known, deletions and keys
   * as they come (the watcher reports each change once).
   */
  #applyReport(report: WatchReport): void {
    const key = keyOf(report);
    const state = this.#states.get(key);
    if (!state || !this.#borg2Counts.has(key)) return;
    const path = join(this.#opts.repoPath, key);
    switch (report.type) {
      case 'CLOSED':
      case 'DELETED':
        this.#releaseKeyChanges(key);
        this.#apply({
          repoUser: report.repoUser,
          repoName: report.repoName,
          path,
          type: report.type,
          at: report.at,
        });
        return;
      case 'CREATED':
      case 'OPENED':
        this.#apply({
          repoUser: report.repoUser,
          repoName: report.repoName,
          path,
          type: report.type,
          at: report.at,
        });
        return;
      case 'ARCHIVE_CREATED':
        if (!newer(report.at, state.lastUpdatedAt)) return;
        this.#states.set(key, { ...state, exists: true, lastUpdatedAt: report.at });
        break;
      case 'ARCHIVE_DELETED':
        break;
      case 'KEY_ADDED':
      case 'KEY_REMOVED':
        this.#noteKeys(key, report);
        if (state.isOpen) return this.#holdKeyChange(key, report);
        break;
      case 'ACCESSED':
      case 'UPDATED':
      case 'MEASURED':
        return; // borg 1 only, and usage: never a borg 2 watch report
    }
    if (report.archiveCount !== undefined) this.#borg2Counts.set(key, report.archiveCount);
    this.#push(report);
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

  /** The key objects a repository holds after a KEY_* report (what a later reconciliation compares with). */
  #noteKeys(key: string, report: WatchReport): void {
    const held = new Set(this.#borg2Keys.get(key) ?? []);
    for (const id of report.ids ?? []) {
      if (report.type === 'KEY_ADDED') held.add(id);
      else held.delete(id);
    }
    this.#borg2Keys.set(key, [...held].sort());
  }

  /** A new key is written before the old one goes (change-passphrase): held so they report as one change. */
  #holdKeyChange(key: string, report: WatchReport): void {
    const held = this.#keyChanges.get(key) ?? { added: null, removed: null };
    const side = report.type === 'KEY_ADDED' ? 'added' : 'removed';
    const before = held[side];
    held[side] = before
      ? {
          ...report,
          ids: [...(before.ids ?? []), ...(report.ids ?? [])],
          firstKey: before.firstKey && report.firstKey,
        }
      : report;
    if (!held[side].firstKey) delete held[side].firstKey;
    this.#keyChanges.set(key, held);
  }

  /** The key changes of the session now closing, in one batch (one alert); an object added and removed again is neither. */
  #releaseKeyChanges(key: string): void {
    const held = this.#keyChanges.get(key);
    if (!held) return;
    this.#keyChanges.delete(key);
    const added = new Set(held.added?.ids ?? []);
    const removed = new Set(held.removed?.ids ?? []);
    for (const id of [...added]) if (removed.delete(id)) added.delete(id);
    if (held.removed && removed.size > 0) this.#outbox.push({ ...held.removed, ids: [...removed] });
    if (held.added && added.size > 0) this.#outbox.push({ ...held.added, ids: [...added] });
    this.#kick();
  }

  /**
   * Something was written in a repository directory (see RepositoryWatcher.onWrite): its usage is measured
   * once writes have been quiet for a while (at most UsageQueue's bound later). This is what follows an
   * rsync push into an IMPORT repository that holds no borg repository (no session the watcher knows).
   */
  #written(repo: { repoUser: string; repoName: string; path: string }): void {
    const key = keyOf(repo);
    if (!this.#states.has(key) || this.#borg2Counts.has(key)) return;
    this.#writtenKeys.add(key);
    this.#usage.schedule(key, repo.path);
  }

  #measured(key: string, usageBytes: number, at: Date): void {
    const [repoUser = '', repoName = ''] = key.split('/');
    // a directory written to holds what was written even when it is no borg repository
    const written = this.#writtenKeys.delete(key);
    if (this.#states.get(key)?.exists || written)
      this.#push({ repoUser, repoName, type: 'MEASURED', at, usageBytes });
  }

  #push(report: WatchReport): void {
    this.#outbox.push(report);
    this.#kick();
  }

  #kick(): void {
    if (this.#holding || this.#outbox.length === 0 || this.#gathering || this.#flushing) return;
    const batchMs = this.#opts.batchMs ?? 0;
    if (batchMs <= 0) return this.#send();
    const send = () => {
      gathering.cancel();
      if (this.#gathering === gathering) this.#gathering = undefined;
      this.#send();
    };
    const gathering = { cancel: this.#ports.timers.after(batchMs, () => send()), send };
    this.#gathering = gathering;
  }

  #send(): void {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
      // what came while the sink was busy waits its own batchMs (with 0: #flush took it already)
      this.#kick();
    });
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
