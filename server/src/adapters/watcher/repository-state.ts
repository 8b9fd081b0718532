import { withDirectory } from '../fs/safe-read.js';
import { readLockRoster } from './lock-roster.js';
import type { RepoWatchEventType } from './watch-event.js';

export type RepositoryState = {
  exists: boolean;
  /** `config` present (borg init done). */
  initialized: boolean;
  /** lock.exclusive present AND the roster shows an exclusive owner: a write session is open. */
  isOpen: boolean;
  /** mtime of the newest index.* (the last commit). */
  lastUpdatedAt: Date | null;
  /** mtime of the repository directory (lock and roster come and go on every access). */
  lastAccessAt: Date | null;
};

export const ABSENT_REPOSITORY: RepositoryState = Object.freeze({
  exists: false,
  initialized: false,
  isOpen: false,
  lastUpdatedAt: null,
  lastAccessAt: null,
});

/**
 * What is on disk now; for reconciliation at start and after watcher errors. Never throws on ENOENT.
 * Nothing is followed or opened but the roster (see safe-read.ts): a repository directory that is a
 * link counts as absent, and only regular files count as config and index.N.
 */
export async function readRepositoryState(dir: string): Promise<RepositoryState> {
  return withDirectory(dir, ABSENT_REPOSITORY, async (repo) => {
    const [entries, roster] = await Promise.all([repo.names(), readLockRoster(repo)]);
    const indexes = entries.filter((name) => /^index\.\d+$/.test(name));
    // Two index.* coexist for a moment during a commit: the newest mtime wins.
    const indexTimes = await Promise.all(
      indexes.map(async (name) => {
        const stats = await repo.lstat(name);
        return stats?.isFile() ? stats.mtime : undefined;
      }),
    );
    const lastUpdatedAt = indexTimes.reduce<Date | null>(
      (newest, at) => (at && (!newest || at > newest) ? at : newest),
      null,
    );
    const locked = entries.includes('lock.exclusive');
    const initialized = entries.includes('config') && (await repo.lstat('config'))?.isFile() === true;
    return {
      exists: true,
      initialized,
      isOpen: locked && typeof roster === 'object' && roster.exclusive.length > 0,
      lastUpdatedAt,
      lastAccessAt: repo.stats.mtime,
    };
  });
}

/**
 * The event types a restart must record so that `previous` (what was believed) becomes `current`
 * (what is on disk), in the order to apply them. Folding reconcileEvents() of these through
 * applyEvent() turns previous into current; events already applied are no-ops there.
 */
export function diffState(previous: RepositoryState, current: RepositoryState): RepoWatchEventType[] {
  if (previous.exists && !current.exists) return ['DELETED'];
  if (!current.exists) return [];
  const types: RepoWatchEventType[] = [];
  if (current.initialized && !previous.initialized) types.push('CREATED');
  if (newer(current.lastUpdatedAt, previous.lastUpdatedAt)) types.push('UPDATED');
  if (previous.isOpen && !current.isOpen) types.push('CLOSED');
  if (!previous.isOpen && current.isOpen) types.push('OPENED');
  const stamped = types.some((type) => type !== 'UPDATED');
  if (!stamped && newer(current.lastAccessAt, previous.lastAccessAt)) types.push('ACCESSED');
  return types;
}

export function newer(candidate: Date | null, than: Date | null): boolean {
  return candidate !== null && (than === null || candidate.getTime() > than.getTime());
}
