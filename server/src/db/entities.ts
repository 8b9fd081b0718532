import 'reflect-metadata';
import { DataVersion } from './data-version.entity.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { CreationWindow } from '../modules/limits/creation-window.entity.js';
import { LoginFailure } from '../modules/auth/login-failure.entity.js';
import { Session } from '../modules/auth/session.entity.js';
import { RecoveryCode, TotpFactor } from '../modules/auth/totp.entity.js';
import { Passkey, PasskeyChallenge } from '../modules/auth/passkey.entity.js';
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { OidcLogin } from '../modules/oidc/oidc-login.entity.js';
import { RepositoryEvent } from '../modules/repository/repository-event.entity.js';
import { RepositoryStatistic } from '../modules/repository/repository-statistic.entity.js';
import { RepositoryLocation } from '../modules/location/location.entity.js';
import { NotificationDelivery } from '../modules/alert/notification-delivery.entity.js';
import { NotificationChannel } from '../modules/notification/notification-channel.entity.js';
import { Repository } from '../modules/repository/repository.entity.js';
import { RepositoryShare } from '../modules/repository/repository-share.entity.js';
import { SshKey } from '../modules/ssh-key/ssh-key.entity.js';
import { Group } from '../modules/user/group.entity.js';
import { User } from '../modules/user/user.entity.js';
import { BackupClient } from '../modules/backup/backup-client.entity.js';
import { BackupJob } from '../modules/backup/backup-job.entity.js';
import { BackupRun } from '../modules/backup/backup-run.entity.js';
import { MaintenanceSchedule } from '../modules/backup/maintenance-schedule.entity.js';

/** Every entity the ORM maps; the single list migrations and the schema check are built from. */
export const entities = [
  User,
  Group,
  Session,
  ApiToken,
  LoginFailure,
  RepositoryLocation,
  SshKey,
  Repository,
  RepositoryShare,
  RepositoryEvent,
  RepositoryStatistic,
  NotificationChannel,
  NotificationDelivery,
  CreationWindow,
  DataVersion,
  TotpFactor,
  RecoveryCode,
  Passkey,
  PasskeyChallenge,
  AuditEntry,
  OidcLogin,
  BackupClient,
  BackupJob,
  BackupRun,
  MaintenanceSchedule,
];
