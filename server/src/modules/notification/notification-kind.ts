import { registerEnumType } from 'type-graphql';

export enum NotificationKind {
  EMAIL = 'EMAIL',
  PUSHOVER = 'PUSHOVER',
  WEBHOOK = 'WEBHOOK',
  NTFY = 'NTFY',
  APPRISE = 'APPRISE',
  GOTIFY = 'GOTIFY',
  TELEGRAM = 'TELEGRAM',
  MATRIX = 'MATRIX',
  UPTIME_KUMA = 'UPTIME_KUMA',
}

registerEnumType(NotificationKind, { name: 'NotificationKind' });
