import type { RepositoryState } from '../../adapters/watcher/repository-state.js';
import type { RepoWatchEventType } from '../../adapters/watcher/watch-event.js';

/** What the watcher side reports: a watch event, or MEASURED (usage computed after a write or daily). */
export type WatchReportType = RepoWatchEventType | 'MEASURED';

export interface WatchReport {
  repoUser: string;
  repoName: string;
  type: WatchReportType;
  /** When it happened (UPDATED: the index mtime). Together with repository and type it identifies the report. */
  at: Date;
  /** MEASURED only: bytes on disk, as `du -sb` counts them. */
  usageBytes?: number;
}

/** A repository the hive knows, with the state its database believes (reconciliation starts from it). */
export interface KnownRepository {
  repoUser: string;
  repoName: string;
  state: RepositoryState;
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
