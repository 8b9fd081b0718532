import { systemClock, type Clock } from '../../adapters/clock.js';
import { ensureRepoRoot } from '../../adapters/fs/repo-root.js';
import { systemTimers, type Timers } from '../../adapters/timers.js';
import { localRepositoryDisk, type RepositoryDisk } from '../../adapters/watcher/repository-disk.js';
import {
  RepositoryWatcher,
  type RepositoryWatcherOptions,
} from '../../adapters/watcher/repository-watcher.js';
import type { RepoWatchErrorListener, RepoWatchListener } from '../../adapters/watcher/watch-event.js';

/** What the monitor uses of a RepositoryWatcher. */
export interface WatchSource {
  on(listener: RepoWatchListener): () => void;
  onError(listener: RepoWatchErrorListener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the repository monitor needs of the world; a unit test passes fakes for each. */
export interface MonitorPorts {
  /** Creates the repo path when it is missing. */
  ensureRoot(repoPath: string): Promise<void>;
  watch(options: RepositoryWatcherOptions): WatchSource;
  disk: RepositoryDisk;
  clock: Clock;
  timers: Timers;
}

export const systemMonitorPorts: MonitorPorts = {
  ensureRoot: ensureRepoRoot,
  watch: (options) => new RepositoryWatcher(options),
  disk: localRepositoryDisk,
  clock: systemClock,
  timers: systemTimers,
};
