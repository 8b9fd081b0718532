import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { MaintenanceTask } from './backup-enums.js';
import { MaintenanceSchedule } from './maintenance-schedule.entity.js';
import { nextRuns, runsCount } from './schedule.js';

@Resolver(() => MaintenanceSchedule)
export class MaintenanceScheduleResolver {
  @Query(() => [MaintenanceSchedule], { description: "a repository's scheduled COMPACT and CHECK" })
  maintenanceSchedules(
    @Arg('repositoryId', () => ID) repositoryId: string,
    @Ctx() ctx: Context,
  ): Promise<MaintenanceSchedule[]> {
    return ctx.services.maintenanceSchedules.list(
      ctx.em,
      requireAuth(ctx),
      parseId(repositoryId, 'repository'),
    );
  }

  @Mutation(() => MaintenanceSchedule, {
    nullable: true,
    description:
      'sets when the hive runs COMPACT or CHECK on the repository (5-field cron in a time zone, as jobs); a null schedule removes it (returns null); needs the right to operate the repository',
  })
  setMaintenanceSchedule(
    @Arg('repositoryId', () => ID) repositoryId: string,
    @Arg('task', () => MaintenanceTask) task: MaintenanceTask,
    @Arg('schedule', () => String, { nullable: true }) schedule: string | null,
    @Arg('timezone', () => String, { nullable: true }) timezone: string | null,
    @Ctx() ctx: Context,
  ): Promise<MaintenanceSchedule | null> {
    return ctx.services.maintenanceSchedules.set(
      ctx.em,
      requireAuth(ctx),
      parseId(repositoryId, 'repository'),
      task,
      schedule,
      timezone,
    );
  }

  @FieldResolver(() => ID)
  repositoryId(@Root() row: MaintenanceSchedule): string {
    return String(row.repository.id);
  }

  @FieldResolver(() => [Date], { description: 'the next scheduled starts' })
  nextRuns(
    @Root() row: MaintenanceSchedule,
    @Arg('count', () => Int, { defaultValue: 5 }) count: number,
    @Ctx() ctx: Context,
  ): Date[] {
    return nextRuns(row.schedule, row.timezone, ctx.services.clock.now(), runsCount(count));
  }
}
