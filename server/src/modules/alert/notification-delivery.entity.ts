import type { Opt, Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { type AlertMessage, NotificationChannel } from '../notification/index.js';
import { RepositoryEvent, Repository } from '../repository/index.js';
import { DeliveryState } from './delivery-state.js';

/** The message as worded when the alert fired, stored so a retry sends exactly the same text. */
export type StoredMessage = Omit<AlertMessage, 'lastBackupAt' | 'createdAt'> & {
  lastBackupAt: string | null;
  createdAt: string;
};

/**
 * The outbox: one row per (alert event, channel), written in the same transaction as the event. The
 * delivery worker claims a due row (claimedBy/claimedUntil), sends it, then marks it SENT or schedules
 * a retry. The unique key makes "each alert reaches each channel once" a database fact.
 */
@ObjectType({ description: 'One alert or recovery message on its way to one channel' })
@Entity({ tableName: 'notification_deliveries' })
@Unique({ properties: ['event', 'channel'] })
@Index({ properties: ['state', 'nextAttemptAt'] })
@Index({ properties: ['channel', 'createdAt'] })
export class NotificationDelivery {
  @Field(() => ID)
  @PrimaryKey()
  id!: number;

  @ManyToOne(() => NotificationChannel, { ref: true, deleteRule: 'cascade' })
  channel!: Ref<NotificationChannel>;

  /** Null for a test message (testNotificationChannel with an id): it is about no repository. */
  @ManyToOne(() => Repository, { ref: true, deleteRule: 'cascade', nullable: true })
  repository: Ref<Repository> | null = null;

  /** Null for a test message: no alert event caused it. */
  @ManyToOne(() => RepositoryEvent, { ref: true, deleteRule: 'cascade', nullable: true })
  event: Ref<RepositoryEvent> | null = null;

  @Property({ type: 'json' })
  message!: StoredMessage;

  @Field(() => DeliveryState)
  @Enum({ items: () => DeliveryState })
  state: DeliveryState & Opt = DeliveryState.PENDING;

  @Field(() => Int, { description: 'send attempts so far' })
  @Property({ type: 'integer' })
  attempts: number & Opt = 0;

  @Field(() => Date, { description: 'when a PENDING delivery is tried next' })
  @Property({ type: 'datetime', length: 3 })
  nextAttemptAt!: Date;

  @Field(() => String, {
    nullable: true,
    description:
      'why the last attempt failed: status or error code (Pushover and SMTP: their own error text), never the body of an answer',
  })
  @Property({ length: 1000, nullable: true })
  lastError: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', length: 3, nullable: true })
  sentAt: Date | null = null;

  /** Worker that holds the row while sending; the claim lapses at claimedUntil (a crashed worker). */
  @Property({ length: 64, nullable: true })
  claimedBy: string | null = null;

  @Property({ type: 'datetime', length: 3, nullable: true })
  claimedUntil: Date | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime', length: 3 })
  createdAt!: Date;
}
