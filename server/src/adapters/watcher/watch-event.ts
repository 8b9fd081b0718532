/** What the repository watcher reports. See repository-watcher.ts for how each type is detected. */
export type RepoWatchEventType = 'CREATED' | 'OPENED' | 'CLOSED' | 'UPDATED' | 'DELETED' | 'ACCESSED';

export type RepoWatchEvent = {
  type: RepoWatchEventType;
  repoUser: string;
  repoName: string;
  /** The repository directory: `<repo path>/<repo user>/<repo name>`. */
  path: string;
  /** UPDATED: mtime of the new index.N; all others: when the watcher saw it (or the dir mtime on reconcile). */
  at: Date;
  /** OPENED/CLOSED: 'write' (exclusive lock); ACCESSED: 'read' (shared lock), absent when reconciled. */
  access?: 'write' | 'read';
};

export type RepoWatchListener = (event: RepoWatchEvent) => void;
export type RepoWatchErrorListener = (error: Error) => void;
