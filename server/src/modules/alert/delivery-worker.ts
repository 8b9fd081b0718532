import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em, Orm } from '../../db/orm.js';
import {
  type AlertMessage,
  type ChannelContext,
  ChannelSettingsError,
  configureChannel,
  type ChannelSecrets,
  digestMessage,
} from '../notification/index.js';
import { storedRules } from './channel-targets.js';
import { settleAttempt, type SendOutcome } from './delivery-settlement.js';
import { DeliveryState } from './delivery-state.js';
import { NotificationDelivery } from './notification-delivery.entity.js';

export interface WorkerReport {
  sent: number;
  retrying: number;
  failed: number;
}

/** What one send of a row did (see SendOutcome). */
export interface Attempt extends SendOutcome {
  id: number;
  channelId: number;
}

export interface DeliveryWorkerOptions {
  /** How long a claim holds; past it a crashed worker's row is claimed again. Longer than one send. */
  leaseMs?: number;
  batch?: number;
  workerId?: string;
}

/**
 * Sends due outbox rows. A row is claimed with one conditional UPDATE (only an unclaimed or lapsed row
 * matches; one affected row = ours), so any number of worker processes never send the same row at the
 * same time. Delivery is at-least-once: a process that dies after the provider accepted a message but
 * before it marked the row SENT leaves the claim to lapse, and the row is sent again. Every attempt of
 * a row carries the same `deliveryKey` (webhook `Idempotency-Key`, e-mail Message-ID) so receivers
 * that honour it see that repeat as a duplicate.
 */
export class DeliveryWorker {
  readonly workerId: string;
  private readonly leaseMs: number;
  private readonly batch: number;

  constructor(
    private readonly orm: Orm,
    private readonly clock: Clock,
    private readonly channelContext: () => ChannelContext,
    private readonly secrets: ChannelSecrets,
    private readonly logger: Logger,
    options: DeliveryWorkerOptions = {},
  ) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.leaseMs = options.leaseMs ?? 120_000;
    this.batch = options.batch ?? 50;
  }

  /** Sends every row due now (claiming them one by one); rows that fail are rescheduled, not retried here. */
  async runOnce(): Promise<WorkerReport> {
    const report: WorkerReport = { sent: 0, retrying: 0, failed: 0 };
    const tried = new Set<number>();
    for (;;) {
      const due = (await this.dueIds()).filter((id) => !tried.has(id));
      if (due.length === 0) return report;
      for (const id of due) {
        tried.add(id);
        if (!(await this.claim(id))) continue;
        const companions = await this.digestCompanions(id);
        for (const c of companions) tried.add(c.id);
        for (const outcome of await this.deliverWith(id, companions)) report[outcome] += 1;
      }
    }
  }

  /** Takes the row for this worker: true when it was due and nobody else held it. */
  async claim(id: number): Promise<boolean> {
    const now = this.clock.now();
    const em = this.orm.em.fork() as Em;
    const taken = await em.nativeUpdate(
      NotificationDelivery,
      { id, state: DeliveryState.PENDING, $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }] },
      { claimedBy: this.workerId, claimedUntil: new Date(now.getTime() + this.leaseMs) },
    );
    return taken === 1;
  }

  /** Sends a row this worker has claimed and records the outcome. */
  async deliver(id: number): Promise<keyof WorkerReport> {
    return this.record(await this.attempt(id));
  }

  /**
   * A digest channel's other due rows, claimed by this worker: they go out in one message with the
   * row `id` and share its outcome. Empty for channels without a digest.
   */
  private async digestCompanions(id: number): Promise<NotificationDelivery[]> {
    const em = this.orm.em.fork() as Em;
    const row = await em.findOneOrFail(NotificationDelivery, { id }, { populate: ['channel'] });
    if (storedRules(row.channel.getEntity().rules).digestAt === null) return [];
    const now = this.clock.now();
    const due = await em.find(
      NotificationDelivery,
      {
        channel: row.channel.id,
        id: { $ne: id },
        state: DeliveryState.PENDING,
        nextAttemptAt: { $lte: now },
        $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }],
      },
      { orderBy: { createdAt: 'asc', id: 'asc' }, limit: 500 },
    );
    const claimed: NotificationDelivery[] = [];
    for (const other of due) if (await this.claim(other.id)) claimed.push(other);
    return claimed;
  }

  /** Sends the row (with its digest companions in one message) and records the outcome of each. */
  private async deliverWith(
    id: number,
    companions: readonly NotificationDelivery[],
  ): Promise<(keyof WorkerReport)[]> {
    const a = await this.attempt(id, companions);
    const outcomes = [await this.record(a)];
    for (const c of companions)
      outcomes.push(await this.record({ ...a, id: c.id, attempts: c.attempts, createdAt: c.createdAt }));
    return outcomes;
  }

  /**
   * The part that touches the world: sends the claimed row once and reports what happened, writing
   * nothing. A process that dies between `attempt` and `record` is the at-least-once edge.
   */
  async attempt(id: number, companions: readonly NotificationDelivery[] = []): Promise<Attempt> {
    const em = this.orm.em.fork() as Em;
    const row = await em.findOneOrFail(
      NotificationDelivery,
      { id },
      { populate: ['channel', 'channel.owner'] },
    );
    const channel = row.channel.getEntity();
    const base = { id, attempts: row.attempts, createdAt: row.createdAt, channelId: channel.id };
    if (!channel.enabled)
      return { ...base, outcome: 'final', error: 'the channel was disabled before this message was sent' };
    try {
      const configured = configureChannel(channel.kind, this.secrets.open(channel.settings));
      const owner = channel.owner.getEntity();
      if (configured.adminOnly !== null && !owner.isAdmin) {
        // checked at every send, not only when saved: an owner who lost admin rights sends nothing more
        const error = `refused: the owner (${owner.username}) is no longer an admin, and ${configured.adminOnly}`;
        this.logger.warn({ delivery: id, channel: channel.id, owner: owner.id }, error);
        return { ...base, outcome: 'final', error };
      }
      const message =
        companions.length === 0
          ? this.restore(row)
          : {
              ...digestMessage(
                [row, ...companions].map((r) => this.restore(r)).sort((x, y) => +x.createdAt - +y.createdAt),
                this.clock.now(),
              ),
              deliveryKey: this.restore(row).deliveryKey,
            };
      await configured.send(message, this.channelContext());
      return { ...base, outcome: 'sent', error: null };
    } catch (err) {
      if (err instanceof ChannelSettingsError) return { ...base, outcome: 'final', error: err.message };
      return { ...base, outcome: 'retry', error: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Marks the row SENT, schedules its retry with backoff, or gives up (FAILED). */
  async record(a: Attempt): Promise<keyof WorkerReport> {
    const em = this.orm.em.fork() as Em;
    const now = this.clock.now();
    const next = settleAttempt(a, now);
    const release = { claimedBy: null, claimedUntil: null };
    const { attempts, error } = next;
    if (next.result === 'sent') {
      // Not conditional on the claim: a send that outlived its lease still counts as delivered.
      await em.nativeUpdate(
        NotificationDelivery,
        { id: a.id, state: DeliveryState.PENDING },
        { state: DeliveryState.SENT, sentAt: now, attempts, lastError: null, ...release },
      );
      return 'sent';
    }
    const mine = { id: a.id, claimedBy: this.workerId };
    if (next.result === 'failed') {
      this.logger.warn({ delivery: a.id, channel: a.channelId, err: error }, 'delivery failed for good');
      await em.nativeUpdate(NotificationDelivery, mine, {
        state: DeliveryState.FAILED,
        attempts,
        lastError: error,
        ...release,
      });
      return 'failed';
    }
    this.logger.info(
      { delivery: a.id, channel: a.channelId, err: error, next: next.nextAttemptAt },
      'delivery failed; will retry',
    );
    await em.nativeUpdate(NotificationDelivery, mine, {
      attempts,
      lastError: error,
      nextAttemptAt: next.nextAttemptAt,
      ...release,
    });
    return 'retrying';
  }

  private async dueIds(): Promise<number[]> {
    const now = this.clock.now();
    const em = this.orm.em.fork() as Em;
    const rows = await em.find(
      NotificationDelivery,
      {
        state: DeliveryState.PENDING,
        nextAttemptAt: { $lte: now },
        $or: [{ claimedUntil: null }, { claimedUntil: { $lt: now } }],
      },
      { fields: ['id'], orderBy: { nextAttemptAt: 'asc', id: 'asc' }, limit: this.batch },
    );
    return rows.map((r) => r.id);
  }

  private restore(row: NotificationDelivery): AlertMessage {
    const m = row.message;
    return {
      ...m,
      lastBackupAt: m.lastBackupAt === null ? null : new Date(m.lastBackupAt),
      createdAt: new Date(m.createdAt),
      deliveryKey: `borg-hive-delivery-${row.id}-${row.createdAt.getTime()}`,
    };
  }
}
