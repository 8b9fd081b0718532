import type { Logger } from 'pino';
import type { Em } from '../../db/orm.js';
import {
  BorgVersion,
  type EventService,
  RepositoryEventType,
  type RepositoryEvent,
  RepositoryStatistic,
  Repository,
  RepositoryMode,
  type HealthStore,
} from '../repository/index.js';
import type { AlertService } from '../alert/index.js';
import type { Borg2ReportType, ReportResult, WatchReport, WatchReportType } from './event-sink.js';
import { alreadyRecorded, reportKey } from './recorded-reports.js';
import { applyReport } from './reported-state.js';

const MESSAGES: Record<Exclude<WatchReportType, 'MEASURED' | Borg2ReportType>, string> = {
  CREATED: 'borg init created the repository',
  OPENED: 'a borg client opened the repository for writing',
  CLOSED: 'the write session ended',
  UPDATED: 'a commit updated the repository',
  DELETED: 'the repository directory disappeared',
  ACCESSED: 'a borg client read the repository',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a borg 2 report says, with the count left (the archive ids are the event's log). */
function borg2Message(report: WatchReport & { type: Borg2ReportType }): string {
  const n = report.ids?.length ?? 0;
  const left = report.archiveCount === undefined ? '' : `; ${plural(report.archiveCount, 'archive')} now`;
  switch (report.type) {
    case 'ARCHIVE_CREATED':
      return `${n === 1 ? 'a new archive' : n === 0 ? 'new archives' : `${n} new archives`} (a backup)${left}`;
    case 'ARCHIVE_DELETED':
      return `${plural(n, 'archive')} deleted${left}`;
    case 'KEY_ADDED':
      return report.firstKey
        ? "the repository's key was written (repo-create)"
        : `${plural(n, 'key object')} added to keys/`;
    case 'KEY_REMOVED':
      return `${plural(n, 'key object')} removed from keys/`;
  }
}

const isBorg2 = (report: WatchReport): report is WatchReport & { type: Borg2ReportType } =>
  report.type === 'ARCHIVE_CREATED' ||
  report.type === 'ARCHIVE_DELETED' ||
  report.type === 'KEY_ADDED' ||
  report.type === 'KEY_REMOVED';

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
    /** Deletion and key alerts of borg 2 reports (absent: recorded as events only). */
    private readonly alerts?: Pick<AlertService, 'reportTamper'>,
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
    const firstKeys = new Set<RepositoryEvent>();
    const changed = new Set<Repository>();
    for (const report of batch) {
      const repo = repos.get(keyOf(report));
      if (!repo) {
        result.unknown++;
        continue;
      }
      if (isBorg2(report) && !(repo.mode === RepositoryMode.BORG && repo.borgVersion === BorgVersion.BORG2)) {
        // archives and key objects by id exist on borg 2 only: such a report about another repository is
        // not believed (it would raise deletion and key alerts)
        this.logger.warn(
          { repository: keyOf(report), type: report.type },
          'borg 2 report about a repository that is not borg 2: ignored',
        );
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
      if (event && report.firstKey) firstKeys.add(event);
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
    await this.#tamper(
      em,
      recorded.filter(([, event]) => !firstKeys.has(event)),
    );
    return result;
  }

  /** Recorded deletions and key changes, per repository, to the alerts (after the events are committed). */
  async #tamper(em: Em, recorded: [Repository, RepositoryEvent][]): Promise<void> {
    if (!this.alerts) return;
    const per = new Map<number, { deleted: number; added: number; removed: number }>();
    for (const [repo, event] of recorded) {
      const lines = event.log ? event.log.split('\n').length : 1;
      const count = (key: 'deleted' | 'added' | 'removed') => {
        const seen = per.get(repo.id) ?? { deleted: 0, added: 0, removed: 0 };
        seen[key] += lines;
        per.set(repo.id, seen);
      };
      if (event.type === RepositoryEventType.ARCHIVE_DELETED) count('deleted');
      else if (event.type === RepositoryEventType.KEY_ADDED) count('added');
      else if (event.type === RepositoryEventType.KEY_REMOVED) count('removed');
    }
    for (const [id, seen] of per) {
      if (seen.deleted > 0)
        await this.alerts.reportTamper(em, id, { kind: 'DELETIONS', deletedNow: seen.deleted });
      // a changed passphrase writes the key anew: one object added and one removed is one alert
      if (seen.added + seen.removed > 0)
        await this.alerts.reportTamper(em, id, {
          kind: 'KEY_CHANGED',
          added: seen.added,
          removed: seen.removed,
        });
    }
  }

  #apply(em: Em, repo: Repository, report: WatchReport): RepositoryEvent | undefined {
    const at = report.at;
    applyReport(repo, report);
    if (report.type === 'MEASURED') {
      em.create(RepositoryStatistic, { repository: repo, usageBytes: report.usageBytes ?? 0, createdAt: at });
      return undefined;
    }
    if (isBorg2(report)) {
      return this.events.prepare(em, repo, RepositoryEventType[report.type], borg2Message(report), {
        at,
        log: report.ids && report.ids.length > 0 ? report.ids.join('\n') : null,
      });
    }
    return this.events.prepare(
      em,
      repo,
      RepositoryEventType[report.type],
      MESSAGES[report.type as keyof typeof MESSAGES],
      {
        at,
      },
    );
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
