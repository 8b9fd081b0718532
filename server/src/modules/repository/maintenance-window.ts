/** The fields that say when the hive last maintained a repository (COMPACT or CHECK). */
export interface MaintenanceWindow {
  maintenanceStartedAt?: Date | null;
  maintenanceFinishedAt?: Date | null;
}

/** A window whose end was never written (its hive died before recover() ran) closes after this long. */
const OPEN_WINDOW_MS = 24 * 3_600_000;

/**
 * True when a commit at `at` was written by the hive's own maintenance (compaction, check): such a
 * commit never counts as a backup, so it never moves lastUpdatedAt or staleness.
 */
export function duringMaintenance(repo: MaintenanceWindow, at: Date): boolean {
  const from = repo.maintenanceStartedAt ?? null;
  if (from === null || at < from) return false;
  const until = repo.maintenanceFinishedAt ?? new Date(from.getTime() + OPEN_WINDOW_MS);
  return at <= until;
}
