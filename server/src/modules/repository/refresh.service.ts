import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import { diskUsage } from '../../adapters/watcher/disk-usage.js';
import { readRepositoryState } from '../../adapters/watcher/repository-state.js';
import type { Em } from '../../db/orm.js';
import type { EventService } from '../event/event.service.js';
import { RepositoryStatistic } from '../event/repository-statistic.entity.js';
import type { Repository } from './repository.entity.js';
import type { RepositoryService } from './repository.service.js';

/** Reads a repository's state and usage from disk and records a statistic (refreshRepository, daily run). */
export class RefreshService {
  constructor(
    private readonly repositories: RepositoryService,
    private readonly events: EventService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async refresh(em: Em, repo: Repository): Promise<Repository> {
    const dir = this.repositories.path(repo);
    const state = await readRepositoryState(dir);
    repo.isOpen = state.isOpen;
    if (state.lastUpdatedAt && (!repo.lastUpdatedAt || state.lastUpdatedAt > repo.lastUpdatedAt)) {
      repo.lastUpdatedAt = state.lastUpdatedAt;
    }
    if (state.lastAccessAt && (!repo.lastAccessAt || state.lastAccessAt > repo.lastAccessAt)) {
      repo.lastAccessAt = state.lastAccessAt;
    }
    if (state.exists) {
      repo.usageBytes = await diskUsage(dir);
      em.create(RepositoryStatistic, { repository: repo, usageBytes: repo.usageBytes, createdAt: this.clock.now() });
    }
    await em.flush();
    await this.events.changed(em, repo);
    return repo;
  }

  /** Every repository; one broken repository never stops the rest. */
  async refreshAll(em: Em, repos: Repository[]): Promise<{ ok: number; failed: number }> {
    let ok = 0;
    let failed = 0;
    for (const repo of repos) {
      try {
        await this.refresh(em, repo);
        ok++;
      } catch (err) {
        failed++;
        this.logger.warn({ err, repository: repo.id }, 'refresh failed');
      }
    }
    return { ok, failed };
  }
}
