import { registerEnumType } from 'type-graphql';

export enum BackupMethod {
  AGENT_FORWARDING = 'AGENT_FORWARDING',
  SOCKET_FORWARDING = 'SOCKET_FORWARDING',
}

export enum BackupRunKind {
  BACKUP = 'BACKUP',
  PRUNE = 'PRUNE',
  COMPACT = 'COMPACT',
  CHECK = 'CHECK',
  BREAK_LOCK = 'BREAK_LOCK',
}

export enum BackupRunState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  INTERRUPTED = 'INTERRUPTED',
}

export enum MaintenanceTask {
  COMPACT = 'COMPACT',
  CHECK = 'CHECK',
  BREAK_LOCK = 'BREAK_LOCK',
}

export const FINISHED_STATES: readonly BackupRunState[] = [
  BackupRunState.SUCCEEDED,
  BackupRunState.FAILED,
  BackupRunState.CANCELLED,
  BackupRunState.INTERRUPTED,
];

registerEnumType(BackupMethod, {
  name: 'BackupMethod',
  valuesConfig: {
    AGENT_FORWARDING: {
      description: 'ssh -A to the client; its borg reaches the storage node with a key of this run only',
    },
    SOCKET_FORWARDING: {
      description: 'borg serve on a unix socket forwarded to the client with ssh -R (socat)',
    },
  },
});
registerEnumType(BackupRunKind, { name: 'BackupRunKind' });
registerEnumType(BackupRunState, { name: 'BackupRunState' });
registerEnumType(MaintenanceTask, { name: 'MaintenanceTask' });
