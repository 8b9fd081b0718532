import { gql, type TypedDocumentNode } from '@apollo/client';
import type {
  BackupClientsQuery,
  BackupClientsQueryVariables,
  BackupJobsQuery,
  BackupJobsQueryVariables,
  BackupRunChangedSubscription,
  BackupRunChangedSubscriptionVariables,
  BackupRunQuery,
  BackupRunQueryVariables,
  BackupRunsQuery,
  BackupRunsQueryVariables,
  CancelBackupRunMutation,
  CancelBackupRunMutationVariables,
  CreateBackupClientMutation,
  CreateBackupClientMutationVariables,
  CreateBackupJobMutation,
  CreateBackupJobMutationVariables,
  DeleteBackupJobMutation,
  DeleteBackupJobMutationVariables,
  MaintenanceSchedulesQuery,
  MaintenanceSchedulesQueryVariables,
  RunBackupJobMutation,
  RunBackupJobMutationVariables,
  RunMaintenanceMutation,
  RunMaintenanceMutationVariables,
  SchedulePreviewQuery,
  SchedulePreviewQueryVariables,
  SetMaintenanceScheduleMutation,
  SetMaintenanceScheduleMutationVariables,
} from './types.js';

const backupRunFields = gql`
  fragment BackupRunFields on BackupRun {
    id
    kind
    state
    startedAt
    finishedAt
    exitCode
    archiveName
    message
    progress {
      originalBytes
      compressedBytes
      deduplicatedBytes
      files
      currentPath
    }
  }
`;

const backupClientFields = gql`
  fragment BackupClientFields on BackupClient {
    id
    name
    host
    port
    user
    hostKeyFingerprint
    authorizedKeysLine
    lastSeenAt
  }
`;

export const BACKUP_CLIENTS: TypedDocumentNode<BackupClientsQuery, BackupClientsQueryVariables> = gql`
  query BackupClients {
    backupClients {
      ...BackupClientFields
    }
  }
  ${backupClientFields}
`;

export const CREATE_BACKUP_CLIENT: TypedDocumentNode<
  CreateBackupClientMutation,
  CreateBackupClientMutationVariables
> = gql`
  mutation CreateBackupClient($input: BackupClientInput!) {
    createBackupClient(input: $input) {
      ...BackupClientFields
    }
  }
  ${backupClientFields}
`;

export const BACKUP_JOBS: TypedDocumentNode<BackupJobsQuery, BackupJobsQueryVariables> = gql`
  query BackupJobs {
    backupJobs {
      id
      name
      paths
      excludes
      schedule
      timezone
      jitterSeconds
      method
      hasPassphrase
      nextRuns(count: 3)
      retention {
        keepDaily
        keepWeekly
        keepMonthly
        keepYearly
      }
      client {
        id
        name
      }
      repository {
        id
        name
      }
    }
  }
`;

export const CREATE_BACKUP_JOB: TypedDocumentNode<CreateBackupJobMutation, CreateBackupJobMutationVariables> =
  gql`
    mutation CreateBackupJob($input: BackupJobInput!) {
      createBackupJob(input: $input) {
        id
      }
    }
  `;

export const DELETE_BACKUP_JOB: TypedDocumentNode<DeleteBackupJobMutation, DeleteBackupJobMutationVariables> =
  gql`
    mutation DeleteBackupJob($id: ID!) {
      deleteBackupJob(id: $id)
    }
  `;

export const BACKUP_RUNS: TypedDocumentNode<BackupRunsQuery, BackupRunsQueryVariables> = gql`
  query BackupRuns($repositoryId: ID, $limit: Int) {
    backupRuns(repositoryId: $repositoryId, limit: $limit) {
      ...BackupRunFields
      job {
        id
        name
      }
      repository {
        id
        name
      }
    }
  }
  ${backupRunFields}
`;

export const BACKUP_RUN: TypedDocumentNode<BackupRunQuery, BackupRunQueryVariables> = gql`
  query BackupRun($id: ID!) {
    backupRun(id: $id) {
      ...BackupRunFields
      log
      statistics
    }
  }
  ${backupRunFields}
`;

export const RUN_BACKUP_JOB: TypedDocumentNode<RunBackupJobMutation, RunBackupJobMutationVariables> = gql`
  mutation RunBackupJob($id: ID!) {
    runBackupJob(id: $id) {
      ...BackupRunFields
    }
  }
  ${backupRunFields}
`;

export const CANCEL_BACKUP_RUN: TypedDocumentNode<CancelBackupRunMutation, CancelBackupRunMutationVariables> =
  gql`
    mutation CancelBackupRun($id: ID!) {
      cancelBackupRun(id: $id) {
        ...BackupRunFields
      }
    }
    ${backupRunFields}
  `;

export const RUN_MAINTENANCE: TypedDocumentNode<RunMaintenanceMutation, RunMaintenanceMutationVariables> =
  gql`
    mutation RunMaintenance($repositoryId: ID!, $task: MaintenanceTask!) {
      runMaintenance(repositoryId: $repositoryId, task: $task) {
        ...BackupRunFields
      }
    }
    ${backupRunFields}
  `;

export const BACKUP_RUN_CHANGED: TypedDocumentNode<
  BackupRunChangedSubscription,
  BackupRunChangedSubscriptionVariables
> = gql`
  subscription BackupRunChanged($runId: ID) {
    backupRunChanged(runId: $runId) {
      ...BackupRunFields
      log
    }
  }
  ${backupRunFields}
`;

const maintenanceScheduleFields = gql`
  fragment MaintenanceScheduleFields on MaintenanceSchedule {
    id
    task
    schedule
    timezone
    nextRuns(count: 3)
  }
`;

export const MAINTENANCE_SCHEDULES: TypedDocumentNode<
  MaintenanceSchedulesQuery,
  MaintenanceSchedulesQueryVariables
> = gql`
  query MaintenanceSchedules($repositoryId: ID!) {
    maintenanceSchedules(repositoryId: $repositoryId) {
      ...MaintenanceScheduleFields
    }
  }
  ${maintenanceScheduleFields}
`;

export const SET_MAINTENANCE_SCHEDULE: TypedDocumentNode<
  SetMaintenanceScheduleMutation,
  SetMaintenanceScheduleMutationVariables
> = gql`
  mutation SetMaintenanceSchedule(
    $repositoryId: ID!
    $task: MaintenanceTask!
    $schedule: String
    $timezone: String
  ) {
    setMaintenanceSchedule(
      repositoryId: $repositoryId
      task: $task
      schedule: $schedule
      timezone: $timezone
    ) {
      ...MaintenanceScheduleFields
    }
  }
  ${maintenanceScheduleFields}
`;

export const SCHEDULE_PREVIEW: TypedDocumentNode<SchedulePreviewQuery, SchedulePreviewQueryVariables> = gql`
  query SchedulePreview($schedule: String!, $timezone: String!) {
    schedulePreview(schedule: $schedule, timezone: $timezone, count: 3)
  }
`;
