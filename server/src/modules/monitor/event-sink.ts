import type { RepositoryState } from '../../adapters/watcher/repository-state.js';
import type { RepoWatchEventType } from '../../adapters/watcher/watch-event.js';

/** What only the borg 2 watcher sees (see Borg2Watcher): archives and key objects by id. */
export type Borg2ReportType = 'ARCHIVE_CREATED' | 'ARCHIVE_DELETED' | 'KEY_ADDED' | 'KEY_REMOVED';

/** What the watcher side reports: a watch event, or MEASURED (usage computed after a write or daily). */
export type WatchReportType = RepoWatchEventType | Borg2ReportType | 'MEASURED';

export interface WatchReport {
  repoUser: string;
  repoName: string;
  type: WatchReportType;
  /** When it happened (UPDATED: the index mtime). Together with repository and type it identifies the report. */
  at: Date;
  /** MEASURED only: bytes on disk, as `du -sb` counts them. */
  usageBytes?: number;
  /** Borg 2 reports: the archives in archives/ after the change (counted without the key). */
  archiveCount?: number;
  /** ARCHIVE_CREATED / ARCHIVE_DELETED / KEY_*: the object ids (hex names) that came or went. */
  ids?: string[];
  /** KEY_ADDED: there was no key object before (repo-create writing the key): not a change of key. */
  firstKey?: boolean;
}

/** A repository the hive knows, with the state its database believes (reconciliation starts from it). */
export interface KnownRepository {
  repoUser: string;
  repoName: string;
  state: RepositoryState;
  /** BORG2: watched by the borg 2 watcher (absent: borg 1, as an older agent's hive answers). */
  borgVersion?: 'BORG1' | 'BORG2';
  /** BORG2: the archive count the hive stored (null: never counted). */
  archiveCount?: number | null;
  /** BORG2: the key object ids the hive knows (its KEY_* events; null or absent: never seen a key). */
  keyIds?: string[] | null;
}

export interface ReportResult {
  /** Reports that changed something and were recorded. */
  recorded: number;
  /** Reports already recorded before (a retried batch) or that changed nothing. */
  duplicates: number;
  /** Reports about a repository the hive does not know (logged, ignored). */
  unknown: number;
}

/**
 * The one interface between the repository monitor (which watches the disk) and the rest of the hive:
 * in-process (InProcessSink: direct service calls) or remote (RemoteSink: the `borg-hive agent` posting
 * to a hive's GraphQL API). Reports must be idempotent: the same batch may arrive twice.
 */
export interface EventSink {
  reportEvents(batch: WatchReport[]): Promise<ReportResult>;
  knownRepositories(): Promise<KnownRepository[]>;
}
