import { duringMaintenance, type MaintenanceWindow } from '../repository/index.js';
import type { WatchReport } from './event-sink.js';

/** The state fields of a repository that watch reports set. */
export interface ReportedFields extends MaintenanceWindow {
  isOpen: boolean;
  lastAccessAt: Date | null;
  lastUpdatedAt: Date | null;
  usageBytes: number | null;
  archiveCount?: number | null;
}

const later = (a: Date | null, b: Date): Date => (a && a >= b ? a : b);

/**
 * Sets what one report says on its repository's fields. Times only move forward: a report that
 * arrives late (a retried batch, an agent's outbox) never moves `lastUpdatedAt` or `lastAccessAt` back.
 */
export function applyReport(repo: ReportedFields, report: WatchReport): void {
  const at = report.at;
  if (report.archiveCount !== undefined) repo.archiveCount = report.archiveCount;
  switch (report.type) {
    case 'MEASURED':
      repo.usageBytes = report.usageBytes ?? 0;
      return;
    case 'OPENED':
    case 'CLOSED':
      repo.isOpen = report.type === 'OPENED';
      repo.lastAccessAt = later(repo.lastAccessAt, at);
      return;
    case 'CREATED':
    case 'ACCESSED':
      repo.lastAccessAt = later(repo.lastAccessAt, at);
      return;
    case 'UPDATED':
      // borg 1: a commit; one the hive's own compaction or check wrote is not a backup
      if (!duringMaintenance(repo, at)) repo.lastUpdatedAt = later(repo.lastUpdatedAt, at);
      return;
    case 'ARCHIVE_CREATED':
      // borg 2: a backup is a new archive (its mtime); deletes, compaction and keys leave the time alone
      repo.lastUpdatedAt = later(repo.lastUpdatedAt, at);
      return;
    case 'ARCHIVE_DELETED':
    case 'KEY_ADDED':
    case 'KEY_REMOVED':
      return;
    case 'DELETED':
      repo.isOpen = false;
      return;
  }
}
