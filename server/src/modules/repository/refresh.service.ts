import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import { localRepositoryDisk, type RepositoryDisk } from '../../adapters/watcher/repository-disk.js';
import { detectBorgVersion, readBorg2State } from '../../adapters/watcher/borg2-layout.js';
import type { Em } from '../../db/orm.js';
import { BorgVersion } from './borg-version.js';
import { duringMaintenance } from './maintenance-window.js';
import { RepositoryMode } from './repository-mode.js';
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
    await this.borgVersionFromDisk(dir, repo);
    const state = await this.disk.state(dir);
    repo.isOpen = state.isOpen;
    if (
      state.lastUpdatedAt &&
      (!repo.lastUpdatedAt || state.lastUpdatedAt > repo.lastUpdatedAt) &&
      !duringMaintenance(repo, state.lastUpdatedAt)
    ) {
      repo.lastUpdatedAt = state.lastUpdatedAt;
    }
    if (state.lastAccessAt && (!repo.lastAccessAt || state.lastAccessAt > repo.lastAccessAt)) {
      repo.lastAccessAt = state.lastAccessAt;
    }
    if (repo.mode === RepositoryMode.BORG && repo.borgVersion === BorgVersion.BORG2) {
      // a backup is a new archive: compaction and deletes write too, but leave the newest archive's time
      const two = await readBorg2State(dir);
      repo.isOpen = two.lockCount > 0;
      repo.archiveCount = two.exists ? two.archiveIds.length : null;
      if (two.lastArchiveAt && (!repo.lastUpdatedAt || two.lastArchiveAt > repo.lastUpdatedAt))
        repo.lastUpdatedAt = two.lastArchiveAt;
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

  /** A repository found on disk is what its layout says (config/ directory: borg 2; config file: borg 1). */
  private async borgVersionFromDisk(dir: string, repo: Repository): Promise<void> {
    if (repo.mode !== RepositoryMode.BORG) return;
    const found = await detectBorgVersion(dir);
    if (found === null) return;
    const version = found === 'BORG2' ? BorgVersion.BORG2 : BorgVersion.BORG1;
    if (version === repo.borgVersion) return;
    this.logger.info({ repository: repo.id, version }, 'borg version recognised from the layout on disk');
    repo.borgVersion = version;
    // borg 1 cannot enforce these roles: the keys lose them rather than get full access
    if (version === BorgVersion.BORG1) {
      for (const list of [repo.readOnlySshKeys, repo.writeOnlySshKeys]) {
        await list.loadItems();
        list.removeAll();
      }
    }
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
