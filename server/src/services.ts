import type { Logger } from 'pino';
import type { AccountsBackend } from './adapters/accounts/accounts.backend.js';
import type { Clock } from './adapters/clock.js';
import type { Config } from './config/config.js';
import type { Orm } from './db/orm.js';
import type { EventBus } from './graphql/event-bus.js';
import type { HeavySlots } from './graphql/request-budget.js';
import type { AlertService, DeliveryWorker } from './modules/alert/index.js';
import type { AuditService } from './modules/audit/index.js';
import type { AuthService, CredentialService, PasskeyService, TotpService } from './modules/auth/index.js';
import type {
  EventService,
  RefreshService,
  RepositoryService,
  GroupService,
  HealthStore,
} from './modules/repository/index.js';
import type { LiveFeed } from './modules/event/index.js';
import type { AuthorizedKeysService } from './modules/keys/index.js';
import type { ReportIngest } from './modules/monitor/index.js';
import type { NotificationChannelService } from './modules/notification/index.js';
import type { PingService } from './modules/ping/index.js';
import type { SshKeyService } from './modules/ssh-key/index.js';
import type { CreationLimits } from './modules/limits/index.js';
import type { UserService } from './modules/user/index.js';
import type { OidcService } from './modules/oidc/index.js';
import type {
  AgentMaintenanceService,
  BackupClientService,
  BackupJobService,
  BackupRunService,
  BackupScheduler,
  MaintenanceScheduleService,
} from './modules/backup/index.js';

/** Everything a request may use, built once in the composition root (app.ts). */
export interface Services {
  config: Config;
  logger: Logger;
  clock: Clock;
  orm: Orm;
  bus: EventBus;
  accounts: AccountsBackend;
  auth: AuthService;
  /** Logout, revoking sessions and tokens, password changes; announced to every instance's sockets. */
  credentials: CredentialService;
  /** TOTP second factor: enrolment, recovery codes, one-time checks. */
  totp: TotpService;
  /** Passkeys (WebAuthn): registration, second factor, password-less sign-in. */
  passkeys: PasskeyService;
  users: UserService;
  groups: GroupService;
  /** Per-user limits on creations (count and rate). */
  limits: CreationLimits;
  sshKeys: SshKeyService;
  repositories: RepositoryService;
  refresher: RefreshService;
  /** The stored health columns (repositoryPage's order, filter and counts) and the health policy. */
  health: HealthStore;
  events: EventService;
  /** Subscriptions: each published change resolved once and fanned out. */
  live: LiveFeed;
  /** Watch reports (in-process monitor or a storage-node agent) into state, events and statistics. */
  reports: ReportIngest;
  authorizedKeys: AuthorizedKeysService;
  channels: NotificationChannelService;
  alerts: AlertService;
  deliveries: DeliveryWorker;
  pings: PingService;
  /** Sign-in through an OpenID Connect provider (BORGHIVE_OIDC_*); null when there is none. */
  oidc: OidcService | null;
  /** The audit trail of mutations and sign-ins. */
  audit: AuditService;
  /** Heavy GraphQL operations running per caller. */
  heavySlots: HeavySlots;
  /** Pull-mode backups: clients, jobs, runs. */
  backupClients: BackupClientService;
  backupJobs: BackupJobService;
  backupRuns: BackupRunService;
  /** Maintenance runs queued for a storage node's `borg-hive agent`: claim, renew, report. */
  agentMaintenance: AgentMaintenanceService;
  /** Scheduled COMPACT and CHECK per repository. */
  maintenanceSchedules: MaintenanceScheduleService;
  backupScheduler: BackupScheduler;
}
