import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import { BadUserInputError } from '../../graphql/errors.js';
import type { AuthInfo } from '../auth/index.js';
import {
  BorgVersion,
  RepositoryAction,
  RepositoryMode,
  type RepositoryService,
} from '../repository/index.js';
import { MaintenanceTask } from './backup-enums.js';
import { borg2MaintenanceRefusal } from './maintenance.js';
import { MaintenanceSchedule } from './maintenance-schedule.entity.js';
import { nextRuns, scheduleProblem } from './schedule.js';

/**
 * Per repository, a cron schedule (croner, with time zone, as backup jobs) for COMPACT and CHECK. The
 * scheduler starts them like runMaintenance does; BREAK_LOCK is never scheduled (it is a decision).
 */
export class MaintenanceScheduleService {
  constructor(
    private readonly repositories: RepositoryService,
    private readonly clock: Clock,
  ) {}

  /** The repository's schedules (whoever may see the repository). */
  async list(em: Em, auth: AuthInfo, repositoryId: number): Promise<MaintenanceSchedule[]> {
    await this.repositories.get(em, auth, repositoryId);
    return em.find(MaintenanceSchedule, { repository: repositoryId }, { orderBy: { task: 'asc' } });
  }

  /**
   * Sets the task's schedule on the repository (the caller must be allowed to operate it); a null or empty
   * schedule removes it (null is returned). Bad input is refused whole, nothing saved.
   */
  async set(
    em: Em,
    auth: AuthInfo,
    repositoryId: number,
    task: MaintenanceTask,
    schedule: string | null,
    timezone: string | null,
  ): Promise<MaintenanceSchedule | null> {
    const repo = await this.repositories.getFor(em, auth, repositoryId, RepositoryAction.OPERATE);
    if (task === MaintenanceTask.BREAK_LOCK)
      throw BadUserInputError.fromProblems([
        { field: 'task', message: 'only COMPACT and CHECK run on a schedule; BREAK_LOCK is run by hand' },
      ]);
    if (repo.mode !== RepositoryMode.BORG)
      throw BadUserInputError.fromProblems([
        { field: 'repositoryId', message: `repository ${repo.name} is not a borg repository` },
      ]);
    const refused = repo.borgVersion === BorgVersion.BORG2 ? borg2MaintenanceRefusal(task, repo.name) : null;
    if (refused) throw BadUserInputError.fromProblems([{ field: 'task', message: refused }]);
    const existing = await em.findOne(MaintenanceSchedule, { repository: repositoryId, task });
    const expression = schedule?.trim() || null;
    if (expression === null) {
      if (existing) {
        em.remove(existing);
        await em.flush();
      }
      return null;
    }
    const zone = timezone?.trim() || 'UTC';
    const problem = scheduleProblem(expression, zone);
    if (problem) throw BadUserInputError.fromProblems([problem]);
    const row = existing ?? em.create(MaintenanceSchedule, { repository: repo, task, schedule: expression });
    row.schedule = expression;
    row.timezone = zone;
    row.nextRunAt = this.nextRunAfter(row, this.clock.now());
    if (!existing) row.createdAt = this.clock.now();
    await em.flush();
    return row;
  }

  nextRunAfter(row: Pick<MaintenanceSchedule, 'schedule' | 'timezone'>, from: Date): Date | null {
    return nextRuns(row.schedule, row.timezone, from, 1)[0] ?? null;
  }
}
