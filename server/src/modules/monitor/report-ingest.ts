import type { Logger } from 'pino';
import type { Em } from '../../db/orm.js';
import {
  type EventService,
  RepositoryEventType,
  type RepositoryEvent,
  RepositoryStatistic,
  Repository,
  type HealthStore,
} from '../repository/index.js';
import type { ReportResult, WatchReport, WatchReportType } from './event-sink.js';
import { alreadyRecorded, reportKey } from './recorded-reports.js';
import { applyReport } from './reported-state.js';

const MESSAGES: Record<Exclude<WatchReportType, 'MEASURED'>, string> = {
  CREATED: 'borg init created the repository',
  OPENED: 'a borg client opened the repository for writing',
  CLOSED: 'the write session ended',
  UPDATED: 'a commit updated the repository',
  DELETED: 'the repository directory disappeared',
  ACCESSED: 'a borg client read the repository',
};

/**
 * The hive's side of EventSink: turns watch reports into state fields, RepositoryEvents and
 * RepositoryStatistics, one flush (one transaction, multi-row inserts) per batch, then tells the
 * subscribers. Idempotent: a report whose (repository, type, at) is already recorded is skipped, so a
 * retried batch changes nothing. (Not a unique index: pings and alerts may share a millisecond.)
 * A repository the database does not know is logged and ignored, never an error.
 */
export class ReportIngest {
  readonly #ids = new Map<string, number>();

  constructor(
    private readonly events: EventService,
    private readonly health: HealthStore,
    private readonly logger: Logger,
  ) {}

  /**
   * With `locationId` (a remote agent's token), a repository of another location counts as unknown:
   * it is neither touched nor revealed.
   */
  async ingest(em: Em, batch: WatchReport[], locationId?: number): Promise<ReportResult> {
    const repos = await this.#resolve(em, batch, locationId);
    return this.#record(em, batch, repos, await alreadyRecorded(em, batch, repos));
  }

  async #record(
    em: Em,
    batch: WatchReport[],
    repos: Map<string, Repository>,
    seen: Set<string>,
  ): Promise<ReportResult> {
    const result: ReportResult = { recorded: 0, duplicates: 0, unknown: 0 };
    const recorded: [Repository, RepositoryEvent][] = [];
    const changed = new Set<Repository>();
    for (const report of batch) {
      const repo = repos.get(keyOf(report));
      if (!repo) {
        result.unknown++;
        continue;
      }
      const key = reportKey(repo.id, report.type, report.at);
      if (seen.has(key)) {
        result.duplicates++;
        continue;
      }
      seen.add(key);
      const event = this.#apply(em, repo, report);
      if (event) recorded.push([repo, event]);
      changed.add(repo);
      result.recorded++;
    }
    await em.flush();
    await this.health.update(
      em,
      [...changed].map((r) => r.id),
    );
    for (const [repo, event] of recorded) await this.events.published(repo, event);
    for (const repo of changed) await this.events.changed(em, repo);
    return result;
  }

  #apply(em: Em, repo: Repository, report: WatchReport): RepositoryEvent | undefined {
    const at = report.at;
    applyReport(repo, report);
    if (report.type === 'MEASURED') {
      em.create(RepositoryStatistic, { repository: repo, usageBytes: report.usageBytes ?? 0, createdAt: at });
      return undefined;
    }
    return this.events.prepare(em, repo, RepositoryEventType[report.type], MESSAGES[report.type], { at });
  }

  /** Repositories of the batch by `<repo user>/<name>`; unknown ones are logged once per batch. */
  async #resolve(em: Em, batch: WatchReport[], locationId?: number): Promise<Map<string, Repository>> {
    const keys = [...new Set(batch.map(keyOf))];
    const missing = keys.filter((k) => !this.#ids.has(k));
    if (missing.length > 0) {
      const users = [...new Set(missing.map((k) => k.slice(0, k.indexOf('/'))))];
      const found = await em.find(Repository, { repoUser: { $in: users } }, { fields: ['repoUser', 'name'] });
      for (const repo of found) this.#ids.set(`${repo.repoUser}/${repo.name}`, repo.id);
    }
    const ids = keys.map((k) => this.#ids.get(k)).filter((id): id is number => id !== undefined);
    const loaded = await em.find(
      Repository,
      { id: { $in: ids } },
      { populate: ['groups'], strategy: 'joined' },
    );
    const byId = new Map(loaded.map((r) => [r.id, r]));
    const repos = new Map<string, Repository>();
    for (const key of keys) {
      const id = this.#ids.get(key);
      const repo = id === undefined ? undefined : byId.get(id);
      if (repo && `${repo.repoUser}/${repo.name}` === key) {
        if (locationId === undefined || repo.location.id === locationId) repos.set(key, repo);
        else
          this.logger.warn({ repository: key, locationId }, 'agent report about another location: ignored');
      } else {
        this.#ids.delete(key);
        this.logger.info(
          { repository: key },
          'watch report about a repository the hive does not know: ignored',
        );
      }
    }
    return repos;
  }
}

function keyOf(report: Pick<WatchReport, 'repoUser' | 'repoName'>): string {
  return `${report.repoUser}/${report.repoName}`;
}
