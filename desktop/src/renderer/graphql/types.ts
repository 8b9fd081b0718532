// Shapes of the data the console selects (a subset of schema/schema.graphql).
export type RepositoryMode = 'BORG' | 'IMPORT' | 'EXPORT';
export type NotificationKind = 'EMAIL' | 'PUSHOVER' | 'WEBHOOK' | 'NTFY';
export type RepositoryEventType =
  | 'CREATED'
  | 'OPENED'
  | 'CLOSED'
  | 'UPDATED'
  | 'DELETED'
  | 'ALERT'
  | 'BACKUP_STARTED'
  | 'BACKUP_SUCCEEDED'
  | 'BACKUP_FAILED'
  | 'BACKUP_LOG';

export interface SshKeyRef {
  readonly id: string;
  readonly name: string;
  readonly fingerprint: string;
}

export interface SshKey extends SshKeyRef {
  readonly type: string;
  readonly bits: number | null;
  readonly comment: string | null;
  readonly lastUsedAt: string | null;
  readonly createdAt: string;
}

export interface RepositorySummary {
  readonly id: string;
  readonly name: string;
  readonly repoUser: string;
  readonly mode: RepositoryMode;
  readonly url: string;
  readonly isOpen: boolean;
  readonly isStale: boolean;
  readonly usageBytes: number | null;
  readonly quotaBytes: number | null;
  readonly alertAfterDays: number | null;
  readonly lastUpdatedAt: string | null;
  /** Newer of the last write on disk and the last successful ping. */
  readonly lastBackupAt: string | null;
  readonly lastAccessAt: string | null;
}

export interface RepositoryEvent {
  readonly id: string;
  readonly type: RepositoryEventType;
  readonly message: string | null;
  readonly createdAt: string;
}

export interface RepositoryDetail extends RepositorySummary {
  readonly path: string;
  readonly pingUrl: string;
  readonly createdAt: string;
  readonly sshKeys: readonly SshKeyRef[];
  readonly appendOnlySshKeys: readonly SshKeyRef[];
  readonly events: readonly RepositoryEvent[];
}

export interface NotificationChannel {
  readonly id: string;
  readonly name: string;
  readonly kind: NotificationKind;
  readonly enabled: boolean;
}

export interface RepositoryInput {
  readonly name?: string;
  readonly mode?: RepositoryMode;
  readonly sshKeyIds?: readonly string[];
  readonly appendOnlySshKeyIds?: readonly string[];
  readonly quotaBytes?: number | null;
  readonly alertAfterDays?: number | null;
}

export interface NotificationChannelInput {
  readonly name: string;
  readonly kind: NotificationKind;
  readonly enabled: boolean;
  readonly settings: Readonly<Record<string, string>>;
  readonly repositoryIds: readonly string[];
}
