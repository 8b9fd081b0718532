import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../adapters/clock.js';
import { readBorg2State, type Borg2State } from '../../adapters/watcher/borg2-layout.js';
import { Borg2Watcher, type Borg2WatchEvent } from '../../adapters/watcher/borg2-watcher.js';
import { ensureRepoRoot } from '../../adapters/fs/repo-root.js';
import { systemTimers, type Timers } from '../../adapters/timers.js';
import { localRepositoryDisk, type RepositoryDisk } from '../../adapters/watcher/repository-disk.js';
import {
  RepositoryWatcher,
  type RepositoryWatcherOptions,
} from '../../adapters/watcher/repository-watcher.js';
import type { RepoWatchErrorListener, RepoWatchListener } from '../../adapters/watcher/watch-event.js';

/** What the monitor uses of a Borg2Watcher. */
export interface Borg2Source {
  on(listener: (event: Borg2WatchEvent) => void): () => void;
  add(repo: { repoUser: string; repoName: string; path: string }, baseline?: Borg2State): Promise<void>;
  remove(path: string): void;
  stop(): Promise<void>;
}

/** What the monitor uses of a RepositoryWatcher. */
export interface WatchSource {
  on(listener: RepoWatchListener): () => void;
  onError(listener: RepoWatchErrorListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops watching a repo user's home (it holds borg 2 repositories only); `unskip` undoes it. */
  skip?(repoUser: string): void;
  unskip?(repoUser: string): void;
  /** Any write seen in a repository directory, borg's or not (rsync pushes); see RepositoryWatcher.onWrite. */
  onWrite?(listener: (repo: { repoUser: string; repoName: string; path: string }) => void): () => void;
}

/** What the repository monitor needs of the world; a unit test passes fakes for each. */
export interface MonitorPorts {
  /** Creates the repo path when it is missing. */
  ensureRoot(repoPath: string): Promise<void>;
  watch(options: RepositoryWatcherOptions): WatchSource;
  disk: RepositoryDisk;
  /** Borg 2 repositories: their watcher and what is on disk (absent: the real ones). */
  borg2?: { watch(options: { logger: Logger }): Borg2Source; state(dir: string): Promise<Borg2State> };
  clock: Clock;
  timers: Timers;
}

export const systemMonitorPorts: MonitorPorts = {
  ensureRoot: ensureRepoRoot,
  watch: (options) => new RepositoryWatcher(options),
  disk: localRepositoryDisk,
  borg2: { watch: (options) => new Borg2Watcher(options), state: readBorg2State },
  clock: systemClock,
  timers: systemTimers,
};
