import type { Repository } from './repository.entity.js';

type Times = Pick<Repository, 'lastUpdatedAt' | 'lastPingSuccessAt' | 'createdAt' | 'alertAfterDays'>;

/** The newer of the last update seen on disk and the last successful ping. */
export function lastBackupOf(repo: Times): Date | null {
  const a = repo.lastUpdatedAt?.getTime() ?? -Infinity;
  const b = repo.lastPingSuccessAt?.getTime() ?? -Infinity;
  const t = Math.max(a, b);
  return t === -Infinity ? null : new Date(t);
}

/**
 * When the repository becomes stale, or null when it has no alert threshold. A repository that never
 * had a backup counts from its creation (the original never alerted for those).
 */
export function staleAt(repo: Times): Date | null {
  if (!repo.alertAfterDays) return null;
  const from = lastBackupOf(repo) ?? repo.createdAt;
  return new Date(from.getTime() + repo.alertAfterDays * 86_400_000);
}
