import type { Borg2State } from '../../adapters/watcher/borg2-layout.js';
import type { Borg2WatchEvent } from '../../adapters/watcher/borg2-watcher.js';
import { newer, type RepositoryState } from '../../adapters/watcher/repository-state.js';
import type { WatchReport } from './event-sink.js';

type Ref = Pick<WatchReport, 'repoUser' | 'repoName'>;

/**
 * What one borg 2 watcher event reports: OPENED/CLOSED when any lock object comes or the last one goes,
 * ARCHIVE_CREATED at the newest archive's mtime (the backup's time), the others when seen.
 */
export function borg2LiveReport(event: Borg2WatchEvent, now: Date): WatchReport {
  const ref: Ref = { repoUser: event.repoUser, repoName: event.repoName };
  if (
    event.type === 'CREATED' ||
    event.type === 'OPENED' ||
    event.type === 'CLOSED' ||
    event.type === 'DELETED'
  )
    return { ...ref, type: event.type, at: now };
  const ids = 'ids' in event ? event.ids : [];
  return {
    ...ref,
    type: event.type,
    at: event.type === 'ARCHIVE_CREATED' ? event.at : now,
    ids,
    archiveCount: event.archiveCount,
    ...('first' in event && event.first ? { firstKey: true } : {}),
  };
}

/**
 * The id an ARCHIVE_DELETED carries for an archive the hive never saw go: deleted while it was not
 * watching, its .del object already compacted away (the only id besides borg's 64 hex digits a report may hold).
 */
export const UNSEEN_ARCHIVE_ID = 'deleted while the hive was not watching';

/**
 * The reports that bring what the hive believes (`previous`, `storedCount`, `storedKeys`) to what a borg 2
 * repository holds now: CREATED once repo-create wrote config/, ARCHIVE_CREATED when the newest archive
 * is newer than the last backup known, ARCHIVE_DELETED when fewer archives are there than stored plus those
 * made since that backup (a client that deleted its history and made one new archive while nobody watched
 * is reported as both; the ids of the .del objects when they account for it), KEY_ADDED/KEY_REMOVED by the
 * key objects (the first key of a repository never seen with one is repo-create's, not a change),
 * OPENED/CLOSED by the lock objects, DELETED when it is gone.
 */
export function borg2Reconcile(
  ref: Ref,
  previous: RepositoryState,
  storedCount: number | null,
  current: Borg2State,
  now: Date,
  storedKeys: readonly string[] | null = null,
): WatchReport[] {
  if (!current.exists) return previous.exists ? [{ ...ref, type: 'DELETED', at: now }] : [];
  const out: WatchReport[] = [];
  const archiveCount = current.archiveIds.length;
  if (current.initialized && !previous.initialized) out.push({ ...ref, type: 'CREATED', at: now });
  const since = previous.lastUpdatedAt?.getTime() ?? null;
  const made = since === null ? archiveCount : current.archiveTimes.filter((t) => t > since).length;
  if (current.lastArchiveAt !== null && newer(current.lastArchiveAt, previous.lastUpdatedAt))
    out.push({ ...ref, type: 'ARCHIVE_CREATED', at: current.lastArchiveAt, archiveCount, ids: [] });
  const gone = storedCount === null ? 0 : storedCount + made - archiveCount;
  if (gone > 0) {
    const ids = current.deletedArchiveIds.slice(-gone);
    while (ids.length < gone) ids.push(UNSEEN_ARCHIVE_ID);
    out.push({ ...ref, type: 'ARCHIVE_DELETED', at: now, archiveCount, ids });
  }
  out.push(...keyReports(ref, storedKeys, current.keyIds, now));
  if (current.lockCount > 0 && !previous.isOpen) out.push({ ...ref, type: 'OPENED', at: now });
  if (current.lockCount === 0 && previous.isOpen) out.push({ ...ref, type: 'CLOSED', at: now });
  return out;
}

/** Key objects that came or went against what the hive knew (none known: the first key, not a change). */
function keyReports(
  ref: Ref,
  stored: readonly string[] | null,
  current: readonly string[],
  now: Date,
): WatchReport[] {
  if (stored === null) {
    return current.length > 0
      ? [{ ...ref, type: 'KEY_ADDED', at: now, ids: [...current], firstKey: true }]
      : [];
  }
  const before = new Set(stored);
  const after = new Set(current);
  const added = current.filter((id) => !before.has(id));
  const removed = stored.filter((id) => !after.has(id));
  const out: WatchReport[] = [];
  if (removed.length > 0) out.push({ ...ref, type: 'KEY_REMOVED', at: now, ids: removed });
  if (added.length > 0) out.push({ ...ref, type: 'KEY_ADDED', at: now, ids: added });
  return out;
}
