import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  ObjectType,
  Field,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { Repository, type RepositoryView } from '../repository/index.js';
import { User } from '../user/index.js';
import { BackupClient } from './backup-client.entity.js';
import { authorizedKeysLineOf } from './backup-client.service.js';
import { MaintenanceTask } from './backup-enums.js';
import { BackupJob } from './backup-job.entity.js';
import { BackupRunView, reviveRunView, runView } from './backup-run.view.js';
import { BackupClientInput, BackupJobInput, BackupJobUpdateInput } from './backup.inputs.js';
import { nextRuns, runsCount } from './schedule.js';
import { enterLiveScope, type LiveRun } from '../event/index.js';
import type { Em } from '../../db/orm.js';

@ObjectType({ description: 'how many archives borg prune keeps per period (unset: that period is not kept)' })
export class Retention {
  @Field(() => Int, { nullable: true })
  keepDaily!: number | null;

  @Field(() => Int, { nullable: true })
  keepWeekly!: number | null;

  @Field(() => Int, { nullable: true })
  keepMonthly!: number | null;

  @Field(() => Int, { nullable: true })
  keepYearly!: number | null;
}

@Resolver(() => BackupClient)
export class BackupClientResolver {
  @Query(() => [BackupClient], { description: 'your backup clients (admin: all)' })
  backupClients(@Ctx() ctx: Context): Promise<BackupClient[]> {
    return ctx.services.backupClients.list(ctx.em, requireAuth(ctx));
  }

  @Mutation(() => BackupClient, { description: 'registers a client; it must answer on its ssh port now' })
  createBackupClient(@Arg('input') input: BackupClientInput, @Ctx() ctx: Context): Promise<BackupClient> {
    return ctx.services.backupClients.create(ctx.em, requireAuth(ctx), input);
  }

  @FieldResolver(() => String, {
    description: 'the one line the client adds to ~/.ssh/authorized_keys of its user',
  })
  authorizedKeysLine(@Root() client: BackupClient): string {
    return authorizedKeysLineOf(client);
  }

  @FieldResolver(() => User)
  owner(@Root() client: BackupClient, @Ctx() ctx: Context): Promise<User> {
    return ctx.em.findOneOrFail(User, { id: client.owner.id });
  }
}

@Resolver(() => BackupJob)
export class BackupJobResolver {
  @Query(() => [BackupJob], { description: 'your backup jobs (admin: all)' })
  backupJobs(@Ctx() ctx: Context): Promise<BackupJob[]> {
    return ctx.services.backupJobs.list(ctx.em, requireAuth(ctx));
  }

  @Mutation(() => BackupJob)
  createBackupJob(@Arg('input') input: BackupJobInput, @Ctx() ctx: Context): Promise<BackupJob> {
    return ctx.services.backupJobs.create(ctx.em, requireAuth(ctx), input);
  }

  @Mutation(() => BackupJob)
  updateBackupJob(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: BackupJobUpdateInput,
    @Ctx() ctx: Context,
  ): Promise<BackupJob> {
    return ctx.services.backupJobs.update(ctx.em, requireAuth(ctx), parseId(id, 'backup job'), input);
  }

  @Mutation(() => Boolean)
  deleteBackupJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.backupJobs.delete(ctx.em, requireAuth(ctx), parseId(id, 'backup job'));
  }

  @FieldResolver(() => BackupClient)
  client(@Root() job: BackupJob, @Ctx() ctx: Context): Promise<BackupClient> {
    return ctx.em.findOneOrFail(BackupClient, { id: job.client.id });
  }

  @FieldResolver(() => Repository)
  repository(@Root() job: BackupJob, @Ctx() ctx: Context): Promise<RepositoryView> {
    return ctx.services.repositories.view(ctx.em, requireAuth(ctx), job.repository.id);
  }

  @FieldResolver(() => Retention, { nullable: true })
  retention(@Root() job: BackupJob): Retention | null {
    if (!job.retention) return null;
    const r = job.retention;
    return {
      keepDaily: r['keepDaily'] ?? null,
      keepWeekly: r['keepWeekly'] ?? null,
      keepMonthly: r['keepMonthly'] ?? null,
      keepYearly: r['keepYearly'] ?? null,
    };
  }

  @FieldResolver(() => Boolean, { description: 'whether a passphrase is stored (it is never returned)' })
  async hasPassphrase(@Root() job: BackupJob, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.services.backupJobs.passphraseOf(ctx.em, job)) !== null;
  }

  @FieldResolver(() => [Date], { description: 'the next scheduled starts (without jitter)' })
  nextRuns(
    @Root() job: BackupJob,
    @Arg('count', () => Int, { defaultValue: 5 }) count: number,
    @Ctx() ctx: Context,
  ): Date[] {
    if (!job.schedule) return [];
    return nextRuns(job.schedule, job.timezone, ctx.services.clock.now(), runsCount(count));
  }
}

@Resolver(() => BackupRunView)
export class BackupRunResolver {
  @Query(() => [BackupRunView], { description: 'runs of the repositories you may see, newest first' })
  backupRuns(
    @Arg('jobId', () => ID, { nullable: true }) jobId: string | null,
    @Arg('repositoryId', () => ID, { nullable: true }) repositoryId: string | null,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 50 }) limit: number | null,
    @Ctx() ctx: Context,
  ): Promise<BackupRunView[]> {
    const auth = requireAuth(ctx);
    return ctx.services.backupRuns.list(ctx.em, auth, {
      ...(jobId != null ? { jobId: parseId(jobId, 'backup job') } : {}),
      ...(repositoryId != null ? { repositoryId: parseId(repositoryId, 'repository') } : {}),
      limit: limit ?? 50,
    });
  }

  @Query(() => BackupRunView, { nullable: true })
  async backupRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<BackupRunView> {
    return runView(await ctx.services.backupRuns.get(ctx.em, requireAuth(ctx), parseId(id, 'backup run')));
  }

  @Mutation(() => BackupRunView, { description: 'starts the job now, whatever its schedule' })
  runBackupJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<BackupRunView> {
    return ctx.services.backupRuns.runJob(ctx.em, requireAuth(ctx), parseId(id, 'backup job'));
  }

  @Mutation(() => BackupRunView, {
    description: 'stops a run: the remote borg gets SIGINT, its checkpoint stays usable',
  })
  cancelBackupRun(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<BackupRunView> {
    return ctx.services.backupRuns.cancel(ctx.em, requireAuth(ctx), parseId(id, 'backup run'));
  }

  @Mutation(() => BackupRunView, {
    description: 'maintenance on the storage node, without the borg key (never counts as a backup)',
  })
  runMaintenance(
    @Arg('repositoryId', () => ID) repositoryId: string,
    @Arg('task', () => MaintenanceTask) task: MaintenanceTask,
    @Ctx() ctx: Context,
  ): Promise<BackupRunView> {
    return ctx.services.backupRuns.runMaintenance(
      ctx.em,
      requireAuth(ctx),
      parseId(repositoryId, 'repository'),
      task,
    );
  }

  @FieldResolver(() => BackupJob, { nullable: true })
  job(@Root() run: BackupRunView, @Ctx() ctx: Context): Promise<BackupJob | null> {
    return run.jobId === null
      ? Promise.resolve(null)
      : (ctx.em.fork() as Em).findOne(BackupJob, { id: run.jobId });
  }

  @FieldResolver(() => Repository)
  repository(@Root() run: BackupRunView, @Ctx() ctx: Context): Promise<RepositoryView> {
    return ctx.services.repositories.view(ctx.em.fork() as Em, requireAuth(ctx), run.repositoryId);
  }

  @Subscription(() => BackupRunView, {
    description: 'state and progress of the runs you may see (one run when runId is given), live',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const auth = requireAuth(ctx);
      const { runId } = args as { runId?: string | null };
      let only: number | null = null;
      if (runId != null) {
        only = parseId(runId, 'backup run');
        await ctx.services.backupRuns.get(ctx.em.fork() as Em, auth, only);
      }
      return ctx.services.live.listen('backupRunChanged', auth, ctx.sendBudget, only);
    },
  })
  backupRunChanged(
    @Root() msg: LiveRun,
    @Arg('runId', () => ID, { nullable: true }) _runId: string | null,
    @Ctx() ctx: Context,
  ): BackupRunView {
    enterLiveScope(ctx, msg.scope);
    return reviveRunView(msg.run as unknown as BackupRunView);
  }
}
