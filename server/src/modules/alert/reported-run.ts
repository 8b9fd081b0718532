import type { Em } from '../../db/orm.js';
import {
  ATTENTION_RANK,
  type EventService,
  HealthState,
  type HealthStore,
  type Repository,
  type RepositoryEvent,
} from '../repository/index.js';
import type { AlertService } from './alert.service.js';

export interface ReportedRunDeps {
  alerts: AlertService;
  health: HealthStore;
  events: EventService;
}

/**
 * What a finished backup changes, however it was reported (a ping, or a run the hive started itself):
 * `record` writes its event (the caller set the repository's ping facts before); then the health is
 * recomputed, subscribers hear of it, and the channels get RUN_FAILED / RUN_SUCCEEDED, or the incident
 * it opened (FAILED) or closed (RECOVERED). A success counts as a backup: an open stale alert is
 * answered now instead of at the next hourly check.
 */
export async function reportFinishedRun(
  deps: ReportedRunDeps,
  em: Em,
  repo: Repository,
  succeeded: boolean,
  record: () => Promise<RepositoryEvent>,
): Promise<RepositoryEvent> {
  const failedBefore = await isFailed(em, repo.id);
  const event = await record();
  await deps.health.update(em, [repo.id]);
  await deps.events.changed(em, repo);
  const failedNow = await isFailed(em, repo.id);
  if (succeeded) {
    await deps.alerts.reportRun(em, repo.id, event, {
      run: 'RUN_SUCCEEDED',
      incident: failedBefore && !failedNow ? 'RECOVERED' : null,
    });
    await deps.alerts.check(em, { repositoryId: repo.id });
  } else {
    await deps.alerts.reportRun(em, repo.id, event, {
      run: 'RUN_FAILED',
      incident: !failedBefore && failedNow ? 'FAILED' : null,
    });
  }
  return event;
}

/** Whether the stored health of the repository is FAILED (read from the column HealthStore keeps). */
async function isFailed(em: Em, id: number): Promise<boolean> {
  const rows = await em
    .getConnection()
    .execute<{ health_rank: unknown }[]>('select health_rank from repositories where id = ?', [id], 'all');
  return Number(rows[0]?.health_rank) === ATTENTION_RANK[HealthState.FAILED];
}
