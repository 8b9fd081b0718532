import { registerEnumType } from 'type-graphql';

export enum NotificationKind {
  EMAIL = 'EMAIL',
  PUSHOVER = 'PUSHOVER',
  WEBHOOK = 'WEBHOOK',
  NTFY = 'NTFY',
}

registerEnumType(NotificationKind, { name: 'NotificationKind' });
