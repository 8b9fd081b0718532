import type { Em } from '../../db/orm.js';
import { lastBackupAt, Repository, RepositoryEvent } from '../repository/index.js';
import { alertSubject } from './alert-subject.js';
import { carries, messageFor, type AlertMessage } from '../notification/index.js';
import { queueDeliveries, storedMessage } from './outbox-rows.js';
import { channelsFor, loadChannelTargets, type ChannelTarget } from './channel-targets.js';

/** A reported run, and the incident it opened or closed (if any). */
export interface RunNotice {
  run: 'RUN_FAILED' | 'RUN_SUCCEEDED';
  /** FAILED: the repository turned FAILED with this run; RECOVERED: this success ended a FAILED state */
  incident: 'FAILED' | 'RECOVERED' | null;
}

/**
 * Queues the messages of one reported run (ping success or failure) to the channels whose rules carry
 * them: the incident (FAILED, RECOVERED) where a channel wants it, else the run itself. At most one
 * message per channel and event (the outbox's unique key). Returns the number of deliveries.
 */
export async function queueRunNotices(
  em: Em,
  repoId: number,
  event: RepositoryEvent,
  notice: RunNotice,
  now: Date,
): Promise<number> {
  return em.fork().transactional(async (txm) => {
    const tx = txm as Em;
    const targets = await loadChannelTargets(tx);
    if (targets.length === 0) return 0;
    const repo = await tx.findOneOrFail(Repository, { id: repoId }, { populate: ['groups', 'location'] });
    const { about, audience } = alertSubject(repo);
    const last = lastBackupAt(repo);
    const byState = new Map<AlertMessage['state'], ChannelTarget[]>();
    for (const channel of channelsFor(targets, audience)) {
      const state =
        notice.incident !== null && carries(channel.rules, notice.incident)
          ? notice.incident
          : carries(channel.rules, notice.run)
            ? notice.run
            : null;
      if (state === null) continue;
      byState.set(state, [...(byState.get(state) ?? []), channel]);
    }
    let queued = 0;
    const recorded = tx.getReference(RepositoryEvent, event.id);
    for (const [state, channels] of byState) {
      const message = messageFor(state, about, last, repo.alertAfterDays, now);
      queueDeliveries(tx, channels, repo, recorded, storedMessage(message), now);
      queued += channels.length;
    }
    await tx.flush();
    return queued;
  });
}
