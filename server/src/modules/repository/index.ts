/** The repository module's public face: what other modules may import (they never reach past it). */
export { describeSync, syncAccounts } from './accounts-sync.js';
export { decideAlert, decideRecovery, isStale, lastBackupAt } from './alert-schedule.js';
export { EventService } from './event.service.js';
export { GroupService } from './group.service.js';
export { announceChanged } from './announce.js';
export { BorgVersion, rolesOf, type KeyRole } from './borg-version.js';
export { ATTENTION_RANK, HealthState, stateOfRank } from './health-state.js';
export { DEFAULT_HEALTH_POLICY, healthOf } from './health.js';
export type { HealthFacts, HealthPolicy } from './health.js';
export { HealthStore, storedHealthOf } from './health-store.js';
export {
  quotaEnforcer,
  quotaExceeded,
  quotaReason,
  refusedOverQuota,
  type QuotaExceeded,
  type QuotaFacts,
} from './quota.js';
export { duringMaintenance, type MaintenanceWindow } from './maintenance-window.js';
export { RefreshService } from './refresh.service.js';
export { RepositoryEventType } from './repository-event-type.js';
export { RepositoryEvent } from './repository-event.entity.js';
export { repositoryViews } from './repository-list.js';
export { RepositoryMode } from './repository-mode.js';
export { repositoryUrl } from './repository-naming.js';
export { RepositoryStatistic } from './repository-statistic.entity.js';
export { Repository } from './repository.entity.js';
export { RepositoryService } from './repository.service.js';
export type { RepositoryView } from './repository.view.js';
export { RepositoryAction, audienceOf } from './repository-audience.js';
