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

export type HealthState = 'NEVER_BACKED_UP' | 'OK' | 'IN_PROGRESS' | 'STALE' | 'FAILED' | 'UNKNOWN';
export type RepositoryOrder = 'ATTENTION' | 'NAME' | 'LAST_BACKUP' | 'USAGE';

export interface RepositoryHealth {
  readonly state: HealthState;
  /** One human sentence, e.g. "no backup for 9 days (alert after 7 days)". */
  readonly reason: string;
  readonly since: string | null;
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
  readonly health: RepositoryHealth;
  readonly owner: { readonly id: string; readonly username: string };
}

/** `RepositoryFilter` of the API (the fields the console sets). */
export interface RepositoryFilter {
  readonly search?: string;
  readonly states?: readonly HealthState[];
  readonly ownerId?: string;
}

export interface RepositoryPage {
  readonly edges: readonly { readonly cursor: string; readonly node: RepositorySummary }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number;
}

/** `RepositorySummary` of the API: counts of what the caller may see (named apart from the row shape). */
export interface RepositoryTotals {
  readonly total: number;
  readonly usageBytes: number;
  readonly neverBackedUp: number;
  readonly ok: number;
  readonly inProgress: number;
  readonly stale: number;
  readonly failed: number;
  readonly unknown: number;
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
