import type { Logger } from 'pino';
import type { Em } from '../../db/orm.js';
import type { EventService } from '../event/event.service.js';
import { RepositoryEventType } from '../event/repository-event-type.js';
import { RepositoryEvent } from '../event/repository-event.entity.js';
import { RepositoryStatistic } from '../event/repository-statistic.entity.js';
import { Repository } from '../repository/repository.entity.js';
import type { ReportResult, WatchReport, WatchReportType } from './event-sink.js';

const MESSAGES: Record<Exclude<WatchReportType, 'MEASURED'>, string> = {
  CREATED: 'borg init created the repository',
  OPENED: 'a borg client opened the repository for writing',
  CLOSED: 'the write session ended',
  UPDATED: 'a commit updated the repository',
  DELETED: 'the repository directory disappeared',
  ACCESSED: 'a borg client read the repository',
};

const later = (a: Date | null, b: Date): Date => (a && a >= b ? a : b);

/**
 * The hive's side of EventSink: turns watch reports into state fields, RepositoryEvents and
 * RepositoryStatistics. Idempotent: a report whose (repository, type, at) is already recorded is
 * skipped, so a retried batch changes nothing. A repository the database does not know is logged and
 * ignored, never an error.
 */
export class ReportIngest {
  readonly #ids = new Map<string, number>();

  constructor(
    private readonly events: EventService,
    private readonly logger: Logger,
  ) {}

  async ingest(em: Em, batch: WatchReport[]): Promise<ReportResult> {
    const result: ReportResult = { recorded: 0, duplicates: 0, unknown: 0 };
    const repos = await this.#resolve(em, batch);
    const seen = await this.#alreadyRecorded(em, batch, repos);
    const changed = new Set<Repository>();
    for (const report of batch) {
      const repo = repos.get(keyOf(report));
      if (!repo) {
        result.unknown++;
        continue;
      }
      const key = `${repo.id}/${report.type}/${report.at.getTime()}`;
      if (seen.has(key)) {
        result.duplicates++;
        continue;
      }
      seen.add(key);
      await this.#apply(em, repo, report);
      changed.add(repo);
      result.recorded++;
    }
    for (const repo of changed) await this.events.changed(em, repo);
    return result;
  }

  async #apply(em: Em, repo: Repository, report: WatchReport): Promise<void> {
    const at = report.at;
    switch (report.type) {
      case 'MEASURED':
        repo.usageBytes = report.usageBytes ?? 0;
        em.create(RepositoryStatistic, { repository: repo, usageBytes: repo.usageBytes, createdAt: at });
        await em.flush();
        return;
      case 'OPENED':
      case 'CLOSED':
        repo.isOpen = report.type === 'OPENED';
        repo.lastAccessAt = later(repo.lastAccessAt, at);
        break;
      case 'CREATED':
      case 'ACCESSED':
        repo.lastAccessAt = later(repo.lastAccessAt, at);
        break;
      case 'UPDATED':
        repo.lastUpdatedAt = later(repo.lastUpdatedAt, at);
        break;
      case 'DELETED':
        repo.isOpen = false;
        break;
    }
    await this.events.record(em, repo, RepositoryEventType[report.type], MESSAGES[report.type], { at });
  }

  /** Repositories of the batch by `<repo user>/<name>`; unknown ones are logged once per batch. */
  async #resolve(em: Em, batch: WatchReport[]): Promise<Map<string, Repository>> {
    const keys = [...new Set(batch.map(keyOf))];
    const missing = keys.filter((k) => !this.#ids.has(k));
    if (missing.length > 0) {
      const users = [...new Set(missing.map((k) => k.slice(0, k.indexOf('/'))))];
      const found = await em.find(Repository, { repoUser: { $in: users } }, { fields: ['repoUser', 'name'] });
      for (const repo of found) this.#ids.set(`${repo.repoUser}/${repo.name}`, repo.id);
    }
    const ids = keys.map((k) => this.#ids.get(k)).filter((id): id is number => id !== undefined);
    const loaded = await em.find(Repository, { id: { $in: ids } }, { populate: ['groups'] });
    const byId = new Map(loaded.map((r) => [r.id, r]));
    const repos = new Map<string, Repository>();
    for (const key of keys) {
      const id = this.#ids.get(key);
      const repo = id === undefined ? undefined : byId.get(id);
      if (repo && `${repo.repoUser}/${repo.name}` === key) repos.set(key, repo);
      else {
        this.#ids.delete(key);
        this.logger.info(
          { repository: key },
          'watch report about a repository the hive does not know: ignored',
        );
      }
    }
    return repos;
  }

  /** `<id>/<type>/<at ms>` of what the batch reports that is already in the database. */
  async #alreadyRecorded(em: Em, batch: WatchReport[], repos: Map<string, Repository>): Promise<Set<string>> {
    const ids = [...new Set([...repos.values()].map((r) => r.id))];
    const seen = new Set<string>();
    if (ids.length === 0) return seen;
    const ats = [...new Set(batch.map((r) => r.at.getTime()))].map((ms) => new Date(ms));
    const events = await em.find(
      RepositoryEvent,
      { repository: { $in: ids }, createdAt: { $in: ats } },
      { fields: ['repository', 'type', 'createdAt'] },
    );
    for (const e of events) seen.add(`${e.repository.id}/${e.type}/${e.createdAt.getTime()}`);
    if (batch.some((r) => r.type === 'MEASURED')) {
      const stats = await em.find(
        RepositoryStatistic,
        { repository: { $in: ids }, createdAt: { $in: ats } },
        { fields: ['repository', 'createdAt'] },
      );
      for (const s of stats) seen.add(`${s.repository.id}/MEASURED/${s.createdAt.getTime()}`);
    }
    return seen;
  }
}

function keyOf(report: Pick<WatchReport, 'repoUser' | 'repoName'>): string {
  return `${report.repoUser}/${report.repoName}`;
}
