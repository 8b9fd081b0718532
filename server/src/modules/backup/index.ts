/** The backup module's public face (pull-mode backups the hive starts): what other code may import. */
export { BackupClient } from './backup-client.entity.js';
export { BackupClientService } from './backup-client.service.js';
export { BackupJob } from './backup-job.entity.js';
export { BackupJobService } from './backup-job.service.js';
export { BackupRun } from './backup-run.entity.js';
export { BackupRunService } from './backup-run.service.js';
export { BackupMethod, BackupRunKind, BackupRunState, MaintenanceTask } from './backup-enums.js';
export { SshTools } from './ssh-tools.js';
export { BackupScheduler } from './backup-scheduler.js';
export { MaintenanceSchedule } from './maintenance-schedule.entity.js';
export { MaintenanceScheduleService } from './maintenance-schedule.service.js';
