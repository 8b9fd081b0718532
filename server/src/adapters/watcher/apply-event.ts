import { ABSENT_REPOSITORY, diffState, newer, type RepositoryState } from './repository-state.js';
import type { RepoWatchEvent } from './watch-event.js';

export type RepoRef = Pick<RepoWatchEvent, 'repoUser' | 'repoName' | 'path'>;

/**
 * The bookkeeping reducer shared by the watcher's consumers (DB service, tests). Pure. Returns the
 * SAME object when the event changes nothing (a duplicate: OPENED while open, CLOSED while closed,
 * an UPDATED/ACCESSED not newer than what is known, CREATED twice, DELETED of an absent repository),
 * so `next !== state` tells whether to record the event. This is what makes a live event that a
 * reconciliation already accounted for (or the reverse) harmless.
 * Note: index mtimes have the filesystem's granularity (4 ms on ext4 here): two commits within
 * one tick look like one UPDATED.
 */
export function applyEvent(state: RepositoryState, event: RepoWatchEvent): RepositoryState {
  const touched = (): Date | null => (newer(event.at, state.lastAccessAt) ? event.at : state.lastAccessAt);
  switch (event.type) {
    case 'CREATED':
      return state.initialized
        ? state
        : { ...state, exists: true, initialized: true, lastAccessAt: touched() };
    case 'OPENED':
      return state.isOpen ? state : { ...state, exists: true, isOpen: true, lastAccessAt: touched() };
    case 'CLOSED':
      return state.isOpen ? { ...state, isOpen: false, lastAccessAt: touched() } : state;
    case 'UPDATED':
      return newer(event.at, state.lastUpdatedAt)
        ? { ...state, exists: true, lastUpdatedAt: event.at }
        : state;
    case 'ACCESSED':
      return newer(event.at, state.lastAccessAt) ? { ...state, exists: true, lastAccessAt: event.at } : state;
    case 'DELETED':
      return state.exists ? ABSENT_REPOSITORY : state;
  }
}

/**
 * The events a reconciliation records for one repository (diffState with timestamps: UPDATED at the
 * index mtime, DELETED at `now`, the others at the directory mtime).
 */
export function reconcileEvents(
  previous: RepositoryState,
  current: RepositoryState,
  repo: RepoRef,
  now: Date,
): RepoWatchEvent[] {
  return diffState(previous, current).map((type) => {
    const at = type === 'UPDATED' ? current.lastUpdatedAt : type === 'DELETED' ? now : current.lastAccessAt;
    return { ...repo, type, at: at ?? now };
  });
}
