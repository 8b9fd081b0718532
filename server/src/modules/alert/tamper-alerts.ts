import type { Em } from '../../db/orm.js';
import type { DeletionAlertConfig } from '../../config/config.js';
import {
  type EventService,
  lastBackupAt,
  Repository,
  RepositoryEvent,
  RepositoryEventType,
} from '../repository/index.js';
import { messageFor, type AlertMessage } from '../notification/index.js';
import { alertSubject } from './alert-subject.js';
import { carriedBy, loadChannelTargets } from './channel-targets.js';
import { queueDeliveries, storedMessage } from './outbox-rows.js';

/** A sign of a client destroying its history, as the watcher reported it (borg 2). */
export type TamperNotice =
  { kind: 'DELETIONS'; deletedNow: number } | { kind: 'KEY_CHANGED'; added: number; removed: number };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Archives deleted within the window, from the ARCHIVE_DELETED events (each event's log lists the ids
 * it deleted, one per line): the alert fires when this report makes the count reach the threshold, so
 * a mass deletion alerts once, not once per further archive.
 */
export async function deletionsCrossed(
  em: Em,
  repoId: number,
  deletedNow: number,
  config: DeletionAlertConfig,
  now: Date,
): Promise<number | null> {
  const since = new Date(now.getTime() - config.minutes * 60_000);
  const events = await em.find(
    RepositoryEvent,
    { repository: repoId, type: RepositoryEventType.ARCHIVE_DELETED, createdAt: { $gte: since } },
    { fields: ['log'] },
  );
  const total = events.reduce((n, e) => n + (e.log ? e.log.split('\n').length : 1), 0);
  return total >= config.archives && total - deletedNow < config.archives ? total : null;
}

/**
 * Records the ALERT event (the console shows it as an alert) and its outbox rows for the channels
 * carrying DELETIONS, in one transaction; then tells subscribers. Returns the deliveries queued.
 */
export async function queueTamperAlert(
  em: Em,
  events: EventService,
  repoId: number,
  state: Extract<AlertMessage['state'], 'DELETIONS' | 'KEY_CHANGED'>,
  detail: string,
  now: Date,
): Promise<number> {
  const fired = await em.fork().transactional(async (txm) => {
    const tx = txm as Em;
    const repo = await tx.findOneOrFail(Repository, { id: repoId }, { populate: ['groups', 'location'] });
    const { about, audience } = alertSubject(repo);
    const message = messageFor(state, about, lastBackupAt(repo), repo.alertAfterDays, now, detail);
    const event = events.prepare(
      tx,
      repo,
      RepositoryEventType.ALERT,
      message.body.split('\n\n')[0] ?? detail,
      {
        at: now,
      },
    );
    const channels = carriedBy(await loadChannelTargets(tx), audience, 'DELETIONS');
    queueDeliveries(tx, channels, repo, event, storedMessage(message), now);
    await tx.flush();
    return { repo, event, deliveries: channels.length };
  });
  await events.published(fired.repo, fired.event);
  return fired.deliveries;
}

/** "5 archives deleted within 60 minutes", "a key object added and one removed in keys/". */
export function tamperDetail(notice: TamperNotice, total: number, config: DeletionAlertConfig): string {
  if (notice.kind === 'DELETIONS')
    return `${plural(total, 'archive')} deleted within ${plural(config.minutes, 'minute')}`;
  const parts = [
    notice.added > 0 ? `${plural(notice.added, 'key object')} added` : '',
    notice.removed > 0 ? `${plural(notice.removed, 'key object')} removed` : '',
  ].filter(Boolean);
  return `The repository's borg key changed: ${parts.join(' and ')} in keys/`;
}
