import type { Em } from '../../db/orm.js';
import { NotificationChannel, releaseAt, type AlertMessage } from '../notification/index.js';
import type { Repository, RepositoryEvent } from '../repository/index.js';
import type { ChannelTarget } from './channel-targets.js';
import { DeliveryState } from './delivery-state.js';
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

/** A test message through a stored channel, logged as settled at once (the worker never picks it up). */
export async function recordTestDelivery(
  em: Em,
  channel: NotificationChannel,
  message: AlertMessage,
  error: string | null,
): Promise<void> {
  em.create(NotificationDelivery, {
    channel,
    repository: null,
    event: null,
    message: storedMessage(message),
    state: error === null ? DeliveryState.SENT : DeliveryState.FAILED,
    attempts: 1,
    nextAttemptAt: message.createdAt,
    lastError: error,
    sentAt: error === null ? message.createdAt : null,
    createdAt: message.createdAt,
  });
  await em.flush();
}
