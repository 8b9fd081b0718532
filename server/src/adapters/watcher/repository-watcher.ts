import type { Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from 'pino';
import { REPOSITORY_NAME } from '@borg-hive/rules';
import { LockSession, type LockSignal } from './lock-session.js';
import { ignoreReason, parseRepoPath, type RepoEntry } from './repo-path.js';
import type {
  RepoWatchErrorListener,
  RepoWatchEvent,
  RepoWatchEventType,
  RepoWatchListener,
} from './watch-event.js';

export type RepositoryWatcherOptions = {
  /** `<repo path>`: repositories live at `<repo path>/<repo user>/<repo name>`. */
  repoPath: string;
  logger: Logger;
  /** How long lock.exclusive may be held without a roster owner before it counts as a write. */
  lockFallbackMs?: number;
};

type Tracked = {
  repoUser: string;
  repoName: string;
  path: string;
  session: LockSession;
  created: boolean;
  transaction: number;
};

/**
 * Live repository events from the filesystem (chokidar 6, one inotify watch per directory).
 * Watches the repo path (depth 0: user dirs), user dirs (repository dirs) and repository dirs (their
 * top-level entries); `data/` is never entered, so about 2 watches per repository (+1 while a write
 * session holds the lock.exclusive directory). Mapping:
 * - CREATED: README appears (`borg init` writes it first);
 * - OPENED / CLOSED / ACCESSED: lock.exclusive + lock.roster, see LockSession for the write/read rule;
 * - UPDATED: a new index.N (renamed from index.N.tmp at commit), `at` = its mtime;
 * - DELETED: the repository directory (or its user directory) disappears.
 * Links are never followed, and only regular files count as README and index.N (repositories hold
 * what rsync or a client put there: see adapters/fs/safe-read.ts).
 * Nothing is emitted before `start()` resolves: the caller reconciles then with readRepositoryState.
 */
export class RepositoryWatcher {
  #root: string;
  readonly #logger: Logger;
  readonly #fallbackMs: number;
  readonly #listeners = new Set<RepoWatchListener>();
  readonly #errorListeners = new Set<RepoWatchErrorListener>();
  readonly #writeListeners = new Set<(repo: { repoUser: string; repoName: string; path: string }) => void>();
  readonly #repos = new Map<string, Tracked>();
  /** Repo users whose homes are left alone (see skip()). */
  readonly #skipped = new Set<string>();
  #watcher: FSWatcher | undefined;
  #live = false;

  constructor(options: RepositoryWatcherOptions) {
    this.#root = resolve(options.repoPath);
    this.#logger = options.logger;
    this.#fallbackMs = options.lockFallbackMs ?? 1000;
  }

  /** Adds a listener; returns a function that removes it. */
  on(listener: RepoWatchListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Called for any write the watches see in a repository, whatever its name (borg's lock files aside):
   * an entry of the repository directory added, changed or removed (rsync's temporary files and renames,
   * times set on a pushed directory), or times set on the repository directory itself (rsync -a sets
   * them at the end of a push). Not an event: what was pushed into an IMPORT repository is no borg
   * repository the watcher could follow, so its usage is measured after such writes. Entries deeper
   * down are not watched: a push changing only those is seen by the times rsync -a sets on its way up.
   */
  onWrite(listener: (repo: { repoUser: string; repoName: string; path: string }) => void): () => void {
    this.#writeListeners.add(listener);
    return () => this.#writeListeners.delete(listener);
  }

  /** Called on watcher errors (e.g. inotify limits); the caller should reconcile afterwards. */
  onError(listener: RepoWatchErrorListener): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Resolves when the initial scan is done; events flow from then on. */
  async start(): Promise<void> {
    if (this.#watcher) return;
    // links below are not followed, so a repo path that is itself a link (to a bigger disk) is resolved here
    this.#root = await realpath(this.#root).catch(() => this.#root);
    const watcher = watch(this.#root, {
      depth: 2,
      atomic: false,
      alwaysStat: true,
      // a repository (or user directory) that is a link to / must not be watched as if it were here
      followSymlinks: false,
      ignored: (path: string, stats?: Stats) => this.#ignored(path, stats),
    });
    this.#watcher = watcher;
    watcher.on('all', (event, path, stats) => {
      try {
        this.#handle(event, path, stats);
      } catch (error) {
        this.#logger.error({ err: error, event, path }, 'repository watcher: event handling failed');
      }
    });
    // chokidar reports adds and unlinks from directory scans; a reader's lock.exclusive and lock.roster
    // can appear and vanish between two of them, so the raw notifications of those names count too
    watcher.on('raw', (event, name, details) => {
      if (name === 'lock.roster' || name === 'lock.exclusive') this.#touched(name, event, details);
      else this.#written(event, name, details);
    });
    watcher.on('error', (cause) => {
      const error = cause instanceof Error ? cause : new Error(String(cause));
      this.#logger.warn({ err: error }, 'repository watcher error');
      for (const listener of this.#errorListeners) listener(error);
    });
    await new Promise<void>((ready) => watcher.once('ready', ready));
    this.#live = true;
    this.#logger.info({ repoPath: this.#root, watched: this.watchedCount() }, 'repository watcher ready');
  }

  async stop(): Promise<void> {
    this.#live = false;
    for (const repo of this.#repos.values()) repo.session.dispose();
    this.#repos.clear();
    const watcher = this.#watcher;
    this.#watcher = undefined;
    await watcher?.close();
  }

  /**
   * Leaves the home of `repoUser` and everything below it alone: no watch, no events (its repositories
   * are borg 2 ones, which the Borg2Watcher watches, their going included).
   */
  skip(repoUser: string): void {
    if (this.#skipped.has(repoUser)) return;
    this.#skipped.add(repoUser);
    for (const [key, repo] of [...this.#repos]) {
      if (repo.repoUser !== repoUser) continue;
      repo.session.dispose();
      this.#repos.delete(key);
    }
    // before start the ignore rule is enough (never watched); later its watches are closed
    this.#watcher?.unwatch(`${this.#root}/${repoUser}`);
  }

  /** Watches the home of `repoUser` again (a borg 1 repository came to it). */
  unskip(repoUser: string): void {
    if (!this.#skipped.delete(repoUser)) return;
    this.#watcher?.add(`${this.#root}/${repoUser}`);
  }

  /** Number of directories under watch (each is one inotify watch). */
  watchedCount(): number {
    return Object.keys(this.#watcher?.getWatched() ?? {}).length;
  }

  #ignored(path: string, stats: Stats | undefined): boolean {
    if (this.#skipped.size > 0 && path.startsWith(`${this.#root}/`)) {
      const rel = path.slice(this.#root.length + 1);
      const slash = rel.indexOf('/');
      if (this.#skipped.has(slash < 0 ? rel : rel.slice(0, slash))) return true;
    }
    const reason = ignoreReason(this.#root, path, stats?.isDirectory());
    if (reason && reason !== 'known') this.#logger.debug({ path, reason }, 'ignored path');
    return reason !== undefined;
  }

  #touched(name: 'lock.exclusive' | 'lock.roster', event: string, details: unknown): void {
    const dir = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof dir !== 'string') return;
    const parsed = parseRepoPath(this.#root, dir);
    // only the repository directory's own watch: a per-file watch of lock.roster repeats its events
    if (parsed.level !== 'repository') return;
    this.#repos.get(`${parsed.repoUser}/${parsed.repoName}`)?.session.touched(name, event);
  }

  #written(event: string, name: unknown, details: unknown): void {
    if (!this.#live || this.#writeListeners.size === 0 || typeof name !== 'string' || name === '') return;
    const dir = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof dir !== 'string') return;
    const parsed = parseRepoPath(this.#root, dir);
    let repo: { repoUser: string; repoName: string } | undefined;
    if (parsed.level === 'repository') repo = { repoUser: parsed.repoUser, repoName: parsed.repoName };
    // in a home: only times set on a repository directory (an entry added there is a new repository)
    else if (parsed.level === 'user' && event === 'change' && REPOSITORY_NAME.test(name))
      repo = { repoUser: parsed.repoUser, repoName: name };
    if (!repo) return;
    const written = { ...repo, path: `${this.#root}/${repo.repoUser}/${repo.repoName}` };
    for (const listener of this.#writeListeners) {
      try {
        listener(written);
      } catch (error) {
        this.#logger.error(
          { err: error, repository: written.path },
          'repository watcher write listener failed',
        );
      }
    }
  }

  #handle(event: string, path: string, stats: Stats | undefined): void {
    const parsed = parseRepoPath(this.#root, path);
    if (parsed.level === 'user' && event === 'unlinkDir') {
      for (const repo of [...this.#repos.values()])
        if (repo.repoUser === parsed.repoUser) this.#deleted(repo);
    } else if (parsed.level === 'repository') {
      if (event === 'addDir') this.#track(parsed.repoUser, parsed.repoName);
      const repo = this.#repos.get(`${parsed.repoUser}/${parsed.repoName}`);
      if (event === 'unlinkDir' && repo) this.#deleted(repo);
    } else if (parsed.level === 'entry') {
      // A removal never (re)creates tracking: children of a deleted repository arrive after DELETED.
      const removed = event === 'unlink' || event === 'unlinkDir';
      const key = `${parsed.repoUser}/${parsed.repoName}`;
      const repo = removed ? this.#repos.get(key) : this.#track(parsed.repoUser, parsed.repoName);
      if (repo) this.#entry(repo, parsed.entry, event, stats);
    }
  }

  #entry(repo: Tracked, entry: RepoEntry, event: string, stats: Stats | undefined): void {
    const added = event === 'add' || event === 'addDir';
    const removed = event === 'unlink' || event === 'unlinkDir';
    // borg writes README and index.N as regular files: a FIFO, device or link by those names is not one
    const regular = stats?.isFile() === true;
    switch (entry.kind) {
      case 'lock':
        if (added) repo.session.lockAdded();
        else if (removed) repo.session.lockRemoved();
        return;
      case 'roster':
        if (removed) repo.session.rosterRemoved();
        else repo.session.rosterChanged();
        return;
      case 'readme':
        if (added && regular && !repo.created) {
          repo.created = true;
          this.#emit(repo, 'CREATED');
        }
        return;
      case 'index':
        if (added && regular && entry.transaction > repo.transaction) {
          repo.transaction = entry.transaction;
          const at = stats?.mtime ?? new Date();
          repo.session.indexAdded(() => this.#emit(repo, 'UPDATED', undefined, at));
        }
        return;
      case 'config':
        return;
    }
  }

  #track(repoUser: string, repoName: string): Tracked {
    const key = `${repoUser}/${repoName}`;
    const known = this.#repos.get(key);
    if (known) return known;
    const path = `${this.#root}/${key}`;
    const signal = (s: LockSignal): void => this.#emit(repo, s.type, s.access);
    const session = new LockSession(path, signal, this.#logger, this.#fallbackMs);
    const repo: Tracked = { repoUser, repoName, path, session, created: false, transaction: -1 };
    this.#repos.set(key, repo);
    return repo;
  }

  #deleted(repo: Tracked): void {
    repo.session.dispose();
    this.#repos.delete(`${repo.repoUser}/${repo.repoName}`);
    this.#emit(repo, 'DELETED');
  }

  #emit(repo: Tracked, type: RepoWatchEventType, access?: 'write' | 'read', at = new Date()): void {
    if (!this.#live) return;
    const event: RepoWatchEvent = {
      type,
      repoUser: repo.repoUser,
      repoName: repo.repoName,
      path: repo.path,
      at,
    };
    if (access) event.access = access;
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.error({ err: error, event }, 'repository watcher listener failed');
      }
    }
  }
}
