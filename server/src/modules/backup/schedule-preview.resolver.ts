import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { type Context, requireAuth } from '../../graphql/context.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { nextRuns, runsCount, scheduleProblem } from './schedule.js';

@Resolver()
export class SchedulePreviewResolver {
  @Query(() => [Date], {
    description:
      'the next starts of a 5-field cron schedule in a time zone, before it is saved (at most 20); a bad schedule or zone is BAD_USER_INPUT naming the field',
  })
  schedulePreview(
    @Arg('schedule', () => String) schedule: string,
    @Arg('timezone', () => String) timezone: string,
    @Arg('count', () => Int, { defaultValue: 3 }) count: number,
    @Ctx() ctx: Context,
  ): Date[] {
    requireAuth(ctx);
    const problem = scheduleProblem(schedule, timezone);
    if (problem) throw BadUserInputError.fromProblems([problem]);
    return nextRuns(schedule, timezone, ctx.services.clock.now(), runsCount(count));
  }
}
