/** The backup module's public face (pull-mode backups the hive starts): what other code may import. */
export { BackupClient } from './backup-client.entity.js';
export { BackupClientService } from './backup-client.service.js';
export { BackupJob } from './backup-job.entity.js';
export { BackupJobService } from './backup-job.service.js';
export { BackupRun } from './backup-run.entity.js';
export { BackupRunService } from './backup-run.service.js';
export {
  AgentMaintenanceService,
  MAX_REPORT_LOG,
  MAX_REPORT_MESSAGE,
  type AgentMaintenanceJob,
} from './agent-maintenance.service.js';
export { AGENT_LEASE_MS } from './agent-lease.js';
export {
  borg2LockBreakMessage,
  breakBorg2Locks,
  collectBorgLog,
  lockInUse,
  lockIsStale,
  maintenanceArgs,
  maintenanceOutcome,
  processAlive,
  type Borg2LockBreak,
} from './maintenance.js';
export { BoundedLog } from './borg-progress.js';
export { BackupMethod, BackupRunKind, BackupRunState, MaintenanceTask } from './backup-enums.js';
export { SshTools } from './ssh-tools.js';
export { BackupScheduler } from './backup-scheduler.js';
export { MaintenanceSchedule } from './maintenance-schedule.entity.js';
export { MaintenanceScheduleService } from './maintenance-schedule.service.js';
