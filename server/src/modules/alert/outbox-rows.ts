import type { Em } from '../../db/orm.js';
import { NotificationChannel, releaseAt, type AlertMessage } from '../notification/index.js';
import type { Repository, RepositoryEvent } from '../repository/index.js';
import type { ChannelTarget } from './channel-targets.js';
import { NotificationDelivery, type StoredMessage } from './notification-delivery.entity.js';

/** One outbox row per channel, held until the channel's quiet hours end or its digest is due. */
export function queueDeliveries(
  tx: Em,
  channels: readonly ChannelTarget[],
  repo: Repository,
  event: RepositoryEvent,
  message: StoredMessage,
  now: Date,
): void {
  for (const channel of channels) {
    tx.create(NotificationDelivery, {
      channel: tx.getReference(NotificationChannel, channel.id),
      repository: repo,
      event,
      message,
      nextAttemptAt: releaseAt(channel.rules, now),
      createdAt: now,
    });
  }
}

/** The message as stored in the outbox (dates as ISO text). */
export function storedMessage(message: AlertMessage): StoredMessage {
  return {
    ...message,
    lastBackupAt: message.lastBackupAt?.toISOString() ?? null,
    createdAt: message.createdAt.toISOString(),
  };
}
