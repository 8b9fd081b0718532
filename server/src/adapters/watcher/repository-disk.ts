import { diskUsage } from './disk-usage.js';
import { readRepositoryState, type RepositoryState } from './repository-state.js';

/** What is on disk of one repository directory, behind an interface for unit tests. */
export interface RepositoryDisk {
  /** The state borg left (see readRepositoryState); absent when there is no directory. */
  state(dir: string): Promise<RepositoryState>;
  /** Bytes under the directory, as `du -sbx` counts them (see diskUsage). */
  usage(dir: string): Promise<number>;
}

export const localRepositoryDisk: RepositoryDisk = { state: readRepositoryState, usage: diskUsage };
