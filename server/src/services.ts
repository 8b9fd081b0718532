import type { Logger } from 'pino';
import type { AccountsBackend } from './adapters/accounts/accounts.backend.js';
import type { Clock } from './adapters/clock.js';
import type { Config } from './config/config.js';
import type { Orm } from './db/orm.js';
import type { EventBus } from './graphql/event-bus.js';
import type { HeavySlots } from './graphql/request-budget.js';
import type { AlertService } from './modules/alert/alert.service.js';
import type { DeliveryWorker } from './modules/alert/delivery-worker.js';
import type { AuthService } from './modules/auth/auth.service.js';
import type { CredentialService } from './modules/auth/credentials.service.js';
import type { EventService } from './modules/event/event.service.js';
import type { LiveFeed } from './modules/event/live-feed.js';
import type { AuthorizedKeysService } from './modules/keys/authorized-keys.service.js';
import type { ReportIngest } from './modules/monitor/report-ingest.js';
import type { NotificationChannelService } from './modules/notification/notification-channel.service.js';
import type { PingService } from './modules/notification/ping/ping.service.js';
import type { HealthStore } from './modules/repository/health-store.js';
import type { RefreshService } from './modules/repository/refresh.service.js';
import type { RepositoryService } from './modules/repository/repository.service.js';
import type { SshKeyService } from './modules/ssh-key/ssh-key.service.js';
import type { CreationLimits } from './modules/limits/creation-limits.js';
import type { GroupService } from './modules/user/group.service.js';
import type { UserService } from './modules/user/user.service.js';

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
  /** Heavy GraphQL operations running per caller. */
  heavySlots: HeavySlots;
}
