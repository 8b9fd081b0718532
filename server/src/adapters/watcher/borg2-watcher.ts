import { watch, type FSWatcher } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import {
  ABSENT_BORG2,
  borg2Changes,
  isBorg2Object,
  readBorg2State,
  type Borg2Change,
  type Borg2State,
} from './borg2-layout.js';

export type Borg2WatchEvent = Borg2Change & {
  repoUser: string;
  repoName: string;
  path: string;
  /** After the change: what the hive shows without the key. */
  archiveCount: number;
  lastArchiveAt: Date | null;
};

type Tracked = {
  repoUser: string;
  repoName: string;
  path: string;
  state: Borg2State;
  /** archives/ and locks/ once they exist; the repository directory itself until then. */
  watches: FSWatcher[];
  attached: boolean;
  /** Before attaching: the directory watched for archives/ and locks/ to appear. */
  watchingDir?: string;
  scanning: boolean;
  again: boolean;
  /** Lock objects named by locks/' watch since the last scan took them (see #scan). */
  lockNames: Set<string>;
  /** Lock objects the recent scans saw or reported (at most RECENT_LOCKS, oldest first). */
  seenLocks: Set<string>;
};

const RECENT_LOCKS = 256;

/** Notes lock objects accounted for (the most recent RECENT_LOCKS are kept). */
function remember(tracked: Tracked, names: Iterable<string>): void {
  for (const name of names) {
    tracked.seenLocks.delete(name);
    tracked.seenLocks.add(name);
  }
  for (const name of tracked.seenLocks) {
    if (tracked.seenLocks.size <= RECENT_LOCKS) break;
    tracked.seenLocks.delete(name);
  }
}

/**
 * Live events of borg 2 repositories, beside the borg 1 RepositoryWatcher: two inotify watches per
 * repository, on archives/ and locks/ (never packs/, whose 256 directories hold the data). Any change in
 * either rescans the repository (readBorg2State, names and times only) and reports the difference, so
 * keys/ changes show up at the session that made them (a client holds a lock while it writes). Until
 * archives/ and locks/ exist (before repo-create) the repository directory is watched instead, and the
 * rescan after attaching reports what was written before the watches were set. The directory's going
 * is seen here too (DELETED): the monitor lets the borg 1 watcher leave a borg 2 repository's home alone,
 * so two watches per repository are all there is.
 */
export class Borg2Watcher {
  readonly #logger: Logger;
  readonly #listeners = new Set<(event: Borg2WatchEvent) => void>();
  readonly #repos = new Map<string, Tracked>();

  constructor(options: { logger: Logger }) {
    this.#logger = options.logger;
  }

  on(listener: (event: Borg2WatchEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Starts watching one repository; its state now (or `baseline`, what the caller last read) is where
   * events start from (no events for what is there).
   */
  async add(
    repo: { repoUser: string; repoName: string; path: string },
    baseline?: Borg2State,
  ): Promise<void> {
    if (this.#repos.has(repo.path)) return;
    const tracked: Tracked = {
      ...repo,
      state: ABSENT_BORG2,
      watches: [],
      attached: false,
      scanning: false,
      again: false,
      lockNames: new Set(),
      seenLocks: new Set(),
    };
    this.#repos.set(repo.path, tracked);
    tracked.state = baseline ?? (await readBorg2State(repo.path));
    // the lock objects of the baseline were seen: their events (a holder's end) are no missed session
    remember(tracked, tracked.state.lockIds);
    this.#attach(tracked);
    // a write between the read above and the watches: one more scan catches it
    await this.#scan(tracked);
  }

  remove(path: string): void {
    const tracked = this.#repos.get(path);
    if (!tracked) return;
    for (const w of tracked.watches) w.close();
    this.#repos.delete(path);
  }

  async stop(): Promise<void> {
    for (const path of [...this.#repos.keys()]) this.remove(path);
  }

  /** inotify watches held (one per watched directory). */
  watchedCount(): number {
    let n = 0;
    for (const t of this.#repos.values()) n += t.watches.length;
    return n;
  }

  #attach(tracked: Tracked): void {
    const dirs = [join(tracked.path, 'archives'), join(tracked.path, 'locks')];
    const watches: FSWatcher[] = [];
    try {
      for (const dir of dirs) watches.push(this.#watchDir(dir, tracked));
    } catch {
      for (const w of watches) w.close();
      // the repository directory, or before repo-create made it, the repo user's home
      for (const dir of [tracked.path, dirname(tracked.path)]) {
        if (tracked.watchingDir === dir) return;
        try {
          const w = this.#watchDir(dir, tracked);
          for (const old of tracked.watches) old.close();
          tracked.watches = [w];
          tracked.watchingDir = dir;
          return;
        } catch (error) {
          this.#logger.debug({ err: error, dir }, 'borg 2 repository not there yet');
        }
      }
      return;
    }
    for (const w of tracked.watches) w.close();
    tracked.watches = watches;
    tracked.attached = true;
  }

  /**
   * When a watched directory is gone (archives/ or locks/, or the repository directory watched before
   * repo-create), its watch is dead: watch what is there instead (the repository, else its home), so the
   * rest of a removal, and a new repo-create, are seen. True when the watches changed.
   */
  async #rewatch(tracked: Tracked): Promise<boolean> {
    const dirs = tracked.attached
      ? [join(tracked.path, 'archives'), join(tracked.path, 'locks')]
      : tracked.watchingDir
        ? [tracked.watchingDir]
        : [];
    const present = await Promise.all(
      dirs.map((d) =>
        lstat(d).then(
          (st) => st.isDirectory(),
          () => false,
        ),
      ),
    );
    if (present.every(Boolean) && dirs.length > 0) return false;
    const before = tracked.watchingDir ?? (tracked.attached ? 'attached' : undefined);
    for (const w of tracked.watches) w.close();
    tracked.watches = [];
    tracked.attached = false;
    tracked.watchingDir = undefined;
    this.#attach(tracked);
    return (tracked.watchingDir ?? (tracked.attached ? 'attached' : undefined)) !== before;
  }

  #watchDir(dir: string, tracked: Tracked): FSWatcher {
    const locks = dir === join(tracked.path, 'locks');
    const watcher = watch(dir, { persistent: false }, (_event, name) => {
      if (locks && typeof name === 'string' && isBorg2Object(name)) tracked.lockNames.add(name);
      void this.#scan(tracked);
    });
    watcher.on('error', (error) => {
      this.#logger.warn({ err: error, dir }, 'borg 2 watch failed; rescanning');
      void this.#scan(tracked);
    });
    return watcher;
  }

  /** One scan at a time per repository; changes during a scan get one more. */
  async #scan(tracked: Tracked): Promise<void> {
    if (tracked.scanning) {
      tracked.again = true;
      return;
    }
    tracked.scanning = true;
    try {
      do {
        tracked.again = false;
        if (!tracked.attached) this.#attach(tracked);
        const named = tracked.lockNames;
        tracked.lockNames = new Set();
        const current = await readBorg2State(tracked.path);
        if (this.#repos.get(tracked.path) !== tracked) return;
        const changes = this.#sessionsBetweenScans(tracked, named, current);
        tracked.state = current;
        for (const change of changes) this.#emit(tracked, change);
        // a watched directory went (the repository removed, rm -r goes bottom up): watch what is left
        if (await this.#rewatch(tracked)) tracked.again = true;
      } while (tracked.again);
    } catch (error) {
      this.#logger.error({ err: error, path: tracked.path }, 'borg 2 rescan failed');
    } finally {
      tracked.scanning = false;
    }
  }

  /**
   * The changes since the last scan. A session short enough to take and drop its lock object between two
   * scans (repo-create, a quick list) leaves the count at 0 on both: the lock object named by locks/'
   * watch and never seen by a scan is that session, reported as OPENED ... CLOSED around what it changed.
   */
  #sessionsBetweenScans(tracked: Tracked, named: Set<string>, current: Borg2State): Borg2Change[] {
    const previous = tracked.state;
    const changes = borg2Changes(previous, current);
    const missed =
      previous.lockCount === 0 &&
      current.lockCount === 0 &&
      current.exists &&
      [...named].some((name) => !tracked.seenLocks.has(name));
    // the named objects are accounted for now (this session, or the one the counts show): the events of
    // the same object that come later (its removal after its creation) are no second session
    remember(tracked, [...current.lockIds, ...named]);
    return missed ? [{ type: 'OPENED' }, ...changes, { type: 'CLOSED' }] : changes;
  }

  #emit(tracked: Tracked, change: Borg2Change): void {
    const event: Borg2WatchEvent = {
      ...change,
      repoUser: tracked.repoUser,
      repoName: tracked.repoName,
      path: tracked.path,
      archiveCount: tracked.state.archiveIds.length,
      lastArchiveAt: tracked.state.lastArchiveAt,
    };
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error }, 'borg 2 watcher listener failed');
      }
    }
  }
}
