/**
 * The server's testing entry (`@borg-hive/server/testing`): what e2e/ and bench/ may use (a test hive, databases,
 * factories and the few classes and names they drive directly). They import nothing else of the server.
 */
export type { RepoAccount } from './adapters/accounts/accounts.backend.js';
export { reconcileAccounts } from './adapters/accounts/accounts.reconciler.js';
export { LdapAccountsBackend } from './adapters/accounts/ldap.backend.js';
export { ManualClock } from './adapters/clock.js';
export { RepositoryWatcher } from './adapters/watcher/repository-watcher.js';
export { borg2Changes, detectBorgVersion, readBorg2State } from './adapters/watcher/borg2-layout.js';
export { Borg2Watcher, type Borg2WatchEvent } from './adapters/watcher/borg2-watcher.js';
export { simulateWrite } from './adapters/watcher/simulate.js';
export { migrateUp, openOrm } from './db/orm.js';
export type { Em } from './db/orm.js';
export { LocalEventBus } from './graphql/event-bus.js';
export { getSchema } from './graphql/schema.js';
export { AlertService, planScan, scanRepositories } from './modules/alert/index.js';
export { DEFAULT_LIVE_TIMING } from './modules/event/index.js';
export { RepositoryLocation } from './modules/location/index.js';
export { InProcessSink, RepositoryMonitor } from './modules/monitor/index.js';
export {
  EventService,
  Repository,
  RepositoryEvent,
  RepositoryEventType,
} from './modules/repository/index.js';
export { hashPassword } from './security/secrets.js';
export { createTestDatabase } from './test-support/databases.js';
export { addKey, createRepo } from './test-support/factories.js';
export { ADMIN_PASSWORD, startTestHive } from './test-support/hive.js';
export { cliEnv, hiveMain } from './test-support/hive-cli.js';
export type { GraphQLResult, TestHive } from './test-support/hive.js';
export { startLdapHive } from './test-support/ldap-hive.js';
export type { LdapHive } from './test-support/ldap-hive.js';
export { startSlapd } from './test-support/slapd.js';
export { countStatements } from './test-support/statement-count.js';
export { seedRepositories } from './test-support/seed-repositories.js';
export { totpCode } from './test-support/totp.js';
export { openSocket } from './test-support/subscription.js';
export { eventually } from './test-support/eventually.js';
export { inotifyWatches } from './test-support/inotify.js';
export { BackupClient, BackupRun, BackupRunKind, BackupRunState } from './modules/backup/index.js';
export type { LiveSocket, Subscription } from './test-support/subscription.js';
export type { SeedRepository } from './test-support/seed-repositories.js';
