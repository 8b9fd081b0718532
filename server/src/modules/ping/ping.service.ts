import { randomUUID } from 'node:crypto';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { type AlertService, reportFinishedRun } from '../alert/index.js';
import { type EventService, type HealthStore, RepositoryEventType, Repository } from '../repository/index.js';
import type { PingBodyText } from './ping-body.js';
import type { PingPath } from './ping-path.js';

const TYPES = {
  START: RepositoryEventType.BACKUP_STARTED,
  SUCCESS: RepositoryEventType.BACKUP_SUCCEEDED,
  FAIL: RepositoryEventType.BACKUP_FAILED,
  LOG: RepositoryEventType.BACKUP_LOG,
} as const;

const WORDS = { START: 'started', SUCCESS: 'succeeded', FAIL: 'failed', LOG: 'sent a log' } as const;

/** Records what a client reported through its ping URL. */
export class PingService {
  constructor(
    private readonly events: EventService,
    private readonly alerts: AlertService,
    private readonly health: HealthStore,
    private readonly clock: Clock,
  ) {}

  /** The repository this ping uuid belongs to, or null (checked before the body is read). */
  find(em: Em, uuid: string): Promise<Repository | null> {
    return em.findOne(Repository, { pingUuid: uuid }, { populate: ['groups'] });
  }

  /**
   * Gives `repo` a new ping uuid (the caller checked that the user may change it): from the commit on,
   * the old ping URL answers 404 (every ping looks its uuid up). Recorded as PING_URL_ROTATED.
   */
  async rotate(em: Em, repo: Repository, by: string): Promise<Repository> {
    repo.pingUuid = randomUUID();
    await this.events.record(
      em,
      repo,
      RepositoryEventType.PING_URL_ROTATED,
      `${by} replaced the ping URL; the old one no longer works`,
    );
    await this.events.changed(em, repo);
    return repo;
  }

  /** Records a ping of `repo` (from find) with its body as read (see readPingBody). */
  async record(em: Em, repo: Repository, ping: PingPath, body: PingBodyText): Promise<void> {
    const now = this.clock.now();
    const { text, truncated, originalBytes } = body;
    const status = ping.exitStatus === undefined ? '' : ` (exit status ${ping.exitStatus})`;
    const cut = truncated ? `; log of ${originalBytes} bytes: first and last parts kept` : '';
    const message = `backup ${WORDS[ping.kind]}${status}, reported through the ping URL${cut}`;
    if (ping.kind === 'SUCCESS') repo.lastPingSuccessAt = now;
    if (ping.kind === 'START') repo.lastPingStartAt = now;
    if (ping.kind === 'FAIL') {
      repo.lastPingFailureAt = now;
      repo.lastPingFailureStatus = ping.exitStatus ?? null;
    }
    const record = () =>
      this.events.record(em, repo, TYPES[ping.kind], message, { log: text === '' ? null : text, at: now });
    if (ping.kind === 'LOG') {
      await record();
      return;
    }
    if (ping.kind === 'START') {
      // a start changes the health (IN_PROGRESS)
      await record();
      await this.health.update(em, [repo.id]);
      await this.events.changed(em, repo);
      return;
    }
    await reportFinishedRun(
      { alerts: this.alerts, health: this.health, events: this.events },
      em,
      repo,
      ping.kind === 'SUCCESS',
      record,
    );
  }
}
