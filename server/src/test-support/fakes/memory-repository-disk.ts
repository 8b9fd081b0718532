import type { RepositoryDisk } from '../../adapters/watcher/repository-disk.js';
import { ABSENT_REPOSITORY, type RepositoryState } from '../../adapters/watcher/repository-state.js';

/** Repository directories in memory: their state and usage by path; a missing path is absent. */
export class MemoryRepositoryDisk implements RepositoryDisk {
  readonly states = new Map<string, RepositoryState>();
  readonly usages = new Map<string, number>();
  /** Paths whose usage was asked for, in order. */
  readonly walked: string[] = [];

  state(dir: string): Promise<RepositoryState> {
    return Promise.resolve(this.states.get(dir) ?? ABSENT_REPOSITORY);
  }

  usage(dir: string): Promise<number> {
    this.walked.push(dir);
    return Promise.resolve(this.usages.get(dir) ?? 0);
  }
}
