import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import {
  type EventService,
  RepositoryEventType,
  type RepositoryEvent,
  repositoryUrl,
  Repository,
} from '../repository/index.js';
import { messageFor } from '../notification/index.js';
import { carriedBy, loadChannelTargets, type ChannelTarget } from './channel-targets.js';
import { queueDeliveries, storedMessage } from './outbox-rows.js';
import { queueRunNotices, type RunNotice } from './run-notices.js';
import { planScan, scanRepositories, type ScanRow } from './stale-scan.js';
import { deletionsCrossed, queueTamperAlert, tamperDetail, type TamperNotice } from './tamper-alerts.js';
import type { DeletionAlertConfig } from '../../config/config.js';

export interface CheckReport {
  scanned: number;
  alerts: number;
  recoveries: number;
  flips: number;
  deliveries: number;
}

const CHUNK = 1000;

/**
 * The stale check: one statement reads every repository that may matter, pure rules decide, and only
 * the repositories that fire cost further statements. An alert or recovery is claimed with a
 * compare-and-set on the repository (lastAlertAt / lastRecoveredAt), so two processes checking at once
 * record it once; its event and its outbox rows are written in that same transaction.
 */
export class AlertService {
  constructor(
    private readonly events: EventService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly deletion: DeletionAlertConfig = { archives: 5, minutes: 60 },
  ) {}

  /**
   * Borg 2 signs of tampering the watcher reported (archives deleted, a key object added or removed):
   * an ALERT event and messages to the channels carrying DELETIONS when archives deleted within the
   * window reach the threshold, or for any key change. Returns the deliveries queued, or null when
   * nothing fired; a failure is logged, never thrown (the reports are recorded whatever happens here).
   */
  async reportTamper(em: Em, repoId: number, notice: TamperNotice): Promise<number | null> {
    const now = this.clock.now();
    try {
      let total = 0;
      if (notice.kind === 'DELETIONS') {
        const crossed = await deletionsCrossed(em, repoId, notice.deletedNow, this.deletion, now);
        if (crossed === null) return null;
        total = crossed;
      }
      const detail = tamperDetail(notice, total, this.deletion);
      return await queueTamperAlert(em, this.events, repoId, notice.kind, detail, now);
    } catch (err) {
      this.logger.error({ err, repositoryId: repoId, notice }, 'recording a deletion or key alert failed');
      return null;
    }
  }

  /** Messages of one reported run (see run-notices.ts); a failure to queue them is logged, never thrown. */
  async reportRun(em: Em, repoId: number, event: RepositoryEvent, notice: RunNotice): Promise<number> {
    try {
      return await queueRunNotices(em, repoId, event, notice, this.clock.now());
    } catch (err) {
      this.logger.error({ err, repositoryId: repoId, notice }, 'queueing the messages of a run failed');
      return 0;
    }
  }

  async check(em: Em, opts: { repositoryId?: number } = {}): Promise<CheckReport> {
    const now = this.clock.now();
    const plan = planScan(await scanRepositories(em, now, opts.repositoryId), now);
    for (const bad of plan.invalid) this.logger.warn(bad, 'stale check skipped a repository');
    await this.applyFlips(em, plan.flips);
    const report: CheckReport = {
      scanned: plan.scanned,
      alerts: 0,
      recoveries: 0,
      flips: plan.flips.length,
      deliveries: 0,
    };
    if (plan.alerts.length + plan.recoveries.length === 0) return report;
    const targets = await loadChannelTargets(em);
    for (const { row, lastBackup } of plan.recoveries) {
      const sent = await this.fire(em, row, 'RECOVERED', lastBackup, targets, now);
      if (sent !== null) report.recoveries += 1;
      report.deliveries += sent ?? 0;
    }
    for (const { row, lastBackup } of plan.alerts) {
      const sent = await this.fire(em, row, 'ALERT', lastBackup, targets, now);
      if (sent !== null) report.alerts += 1;
      report.deliveries += sent ?? 0;
    }
    return report;
  }

  /** Stores what this check saw and tells subscribers of each repository whose staleness changed. */
  private async applyFlips(em: Em, flips: { id: number; stale: boolean }[]): Promise<void> {
    for (const stale of [true, false]) {
      const ids = flips.filter((f) => f.stale === stale).map((f) => f.id);
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        await em.nativeUpdate(Repository, { id: { $in: chunk } }, { staleObserved: stale });
        const work = em.fork();
        for (const repo of await work.find(Repository, { id: { $in: chunk } }, { populate: ['groups'] })) {
          await this.events.changed(work as Em, repo);
        }
      }
    }
  }

  /** Records one ALERT or RECOVERED with its deliveries; null when another process got there first. */
  private async fire(
    em: Em,
    row: ScanRow,
    kind: 'ALERT' | 'RECOVERED',
    lastBackup: Date | null,
    targets: readonly ChannelTarget[],
    now: Date,
  ): Promise<number | null> {
    let fired: { repo: Repository; event: RepositoryEvent; deliveries: number } | null;
    try {
      fired = await em.fork().transactional(async (txm) => {
        const tx = txm as Em;
        const claimed =
          kind === 'ALERT'
            ? await tx.nativeUpdate(
                Repository,
                { id: row.id, lastAlertAt: row.lastAlertAt },
                { lastAlertAt: now },
              )
            : await tx.nativeUpdate(
                Repository,
                { id: row.id, lastRecoveredAt: row.lastRecoveredAt },
                { lastRecoveredAt: now },
              );
        if (claimed !== 1) return null;
        const repo = await tx.findOneOrFail(Repository, { id: row.id }, { populate: ['groups', 'location'] });
        const location = repo.location.getEntity();
        const message = messageFor(
          kind === 'ALERT' ? 'STALE' : 'RECOVERED',
          {
            id: String(repo.id),
            name: repo.name,
            url: repositoryUrl(repo.repoUser, location.sshHost, location.sshPort, repo.name),
          },
          lastBackup,
          row.alertAfterDays,
          now,
        );
        const summary = message.body.split('\n\n')[0] ?? message.title;
        const type = kind === 'ALERT' ? RepositoryEventType.ALERT : RepositoryEventType.RECOVERED;
        const event = this.events.prepare(tx, repo, type, summary, { at: now });
        const stored = storedMessage(message);
        // a repeat: this incident (since the last backup, or the creation) was already alerted
        const repeat =
          kind === 'ALERT' && row.lastAlertAt !== null && row.lastAlertAt > (lastBackup ?? row.createdAt);
        const channels = carriedBy(
          targets,
          { id: repo.id, ownerId: repo.owner.id, groupIds: repo.groups.getIdentifiers<number>() },
          kind === 'ALERT' ? 'STALE' : 'RECOVERED',
          repeat,
        );
        queueDeliveries(tx, channels, repo, event, stored, now);
        await tx.flush();
        return { repo, event, deliveries: channels.length };
      });
    } catch (err) {
      this.logger.error(
        { err, repositoryId: row.id, kind },
        'recording an alert failed; the next check retries',
      );
      return null;
    }
    if (fired === null) return null;
    // subscribers hear of the event once it is committed (a rolled-back alert was never sent); the
    // deliveries are in the outbox whatever happens to this message
    await this.events
      .published(fired.repo, fired.event)
      .catch((err: unknown) =>
        this.logger.warn({ err, repositoryId: row.id }, 'publishing an alert event failed'),
      );
    return fired.deliveries;
  }
}
