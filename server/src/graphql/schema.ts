import { createPubSub } from '@graphql-yoga/subscription';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { NotificationDeliveryResolver } from '../modules/alert/notification-delivery.resolver.js';
import { AuthResolver } from '../modules/auth/auth.resolver.js';
import { SessionResolver } from '../modules/auth/session.resolver.js';
import { TotpResolver } from '../modules/auth/totp.resolver.js';
import { PasskeyResolver } from '../modules/auth/passkey.resolver.js';
import { OidcResolver } from '../modules/oidc/oidc.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { RepositoryEventResolver } from '../modules/event/repository-event.resolver.js';
import { SubscriptionResolver } from '../modules/event/subscription.resolver.js';
import { AuthorizedKeysResolver } from '../modules/keys/authorized-keys.resolver.js';
import { LocationResolver } from '../modules/location/location.resolver.js';
import { AgentResolver } from '../modules/monitor/agent.resolver.js';
import { AgentMaintenanceResolver } from '../modules/monitor/agent-maintenance.resolver.js';
import { NotificationChannelResolver } from '../modules/notification/notification.resolver.js';
import { PingUrlResolver } from '../modules/ping/ping-url.resolver.js';
import { RepositoryResolver } from '../modules/repository/repository.resolver.js';
import { RepositoryFieldsResolver } from '../modules/repository/repository-fields.resolver.js';
import { SshKeyResolver } from '../modules/ssh-key/ssh-key.resolver.js';
import { LimitsResolver } from '../modules/limits/limits.resolver.js';
import { GroupResolver } from '../modules/user/group.resolver.js';
import { UserResolver } from '../modules/user/user.resolver.js';
import {
  BackupClientResolver,
  BackupJobResolver,
  BackupRunResolver,
} from '../modules/backup/backup.resolver.js';
import { LocationHostKeysResolver } from '../modules/backup/location-host-keys.resolver.js';
import { MaintenanceScheduleResolver } from '../modules/backup/maintenance-schedule.resolver.js';
import { SchedulePreviewResolver } from '../modules/backup/schedule-preview.resolver.js';

/** Every resolver of the API: the one list the schema is built from. */
export const resolvers: NonEmptyArray<Function> = [
  AuthResolver,
  SessionResolver,
  UserResolver,
  GroupResolver,
  LimitsResolver,
  LocationResolver,
  SshKeyResolver,
  RepositoryResolver,
  RepositoryFieldsResolver,
  RepositoryEventResolver,
  SubscriptionResolver,
  AuthorizedKeysResolver,
  NotificationChannelResolver,
  PingUrlResolver,
  NotificationDeliveryResolver,
  AgentResolver,
  AgentMaintenanceResolver,
  TotpResolver,
  PasskeyResolver,
  OidcResolver,
  AuditResolver,
  BackupClientResolver,
  BackupJobResolver,
  BackupRunResolver,
  LocationHostKeysResolver,
  MaintenanceScheduleResolver,
  SchedulePreviewResolver,
];

let built: Promise<GraphQLSchema> | null = null;

/** Built once per process; subscriptions get their source from the typed event bus, not type-graphql's pubsub. */
export function getSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    validate: false,
    emitSchemaFile: false,
    // Every @Subscription brings its own `subscribe` over the typed EventBus; this one is never used.
    pubSub: createPubSub(),
  });
  return built;
}
