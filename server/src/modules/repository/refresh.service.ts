import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import { localRepositoryDisk, type RepositoryDisk } from '../../adapters/watcher/repository-disk.js';
import type { Em } from '../../db/orm.js';
import type { EventService } from './event.service.js';
import { RepositoryStatistic } from './repository-statistic.entity.js';
import type { HealthStore } from './health-store.js';
import { Repository } from './repository.entity.js';
import type { RepositoryService } from './repository.service.js';

/** Reads a repository's state and usage from disk and records a statistic (refreshRepository, daily run). */
export class RefreshService {
  constructor(
    private readonly repositories: RepositoryService,
    private readonly events: EventService,
    private readonly health: HealthStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly disk: RepositoryDisk = localRepositoryDisk,
  ) {}

  async refresh(em: Em, repo: Repository): Promise<Repository> {
    const dir = this.repositories.path(repo);
    const state = await this.disk.state(dir);
    repo.isOpen = state.isOpen;
    if (state.lastUpdatedAt && (!repo.lastUpdatedAt || state.lastUpdatedAt > repo.lastUpdatedAt)) {
      repo.lastUpdatedAt = state.lastUpdatedAt;
    }
    if (state.lastAccessAt && (!repo.lastAccessAt || state.lastAccessAt > repo.lastAccessAt)) {
      repo.lastAccessAt = state.lastAccessAt;
    }
    if (state.exists) {
      const usageBytes = await this.disk.usage(dir);
      repo.usageBytes = usageBytes;
      em.create(RepositoryStatistic, { repository: repo, usageBytes, createdAt: this.clock.now() });
    }
    await em.flush();
    await this.health.update(em, [repo.id]);
    await this.events.changed(em, repo);
    return repo;
  }

  /** Every repository, each in its own EntityManager: one broken repository never stops the rest. */
  async refreshAll(em: Em, ids: number[]): Promise<{ ok: number; failed: number }> {
    let ok = 0;
    let failed = 0;
    for (const id of ids) {
      try {
        const own = em.fork() as Em;
        const repo = await own.findOne(Repository, { id }, { populate: ['groups'] });
        if (repo) await this.refresh(own, repo);
        ok++;
      } catch (err) {
        failed++;
        this.logger.warn({ err, repository: id }, 'refresh failed');
      }
    }
    return { ok, failed };
  }
}
