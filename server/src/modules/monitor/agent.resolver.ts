import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { BorgVersion } from '../repository/index.js';
import { agentSeen } from './agent-auth.js';
import type { WatchReport } from './event-sink.js';
import { knownRepositories } from './known-repositories.js';
import { reportProblems } from './report-validation.js';
import { AgentReportResult, AgentRepository, RepositoryEventInput } from './agent.types.js';

const MAX_BATCH = 1000;

function reportOf(e: RepositoryEventInput): WatchReport {
  return {
    repoUser: e.repoUser,
    repoName: e.repoName,
    type: e.type,
    at: e.at,
    ...(e.usageBytes == null ? {} : { usageBytes: e.usageBytes }),
    ...(e.archiveCount == null ? {} : { archiveCount: e.archiveCount }),
    ...(e.ids == null ? {} : { ids: e.ids }),
    ...(e.firstKey ? { firstKey: true } : {}),
  };
}

/** The storage-node agent's side of the API (`borg-hive agent`, RemoteSink). */
@Resolver()
export class AgentResolver {
  @Mutation(() => Boolean, {
    description: 'AGENT tokens: the agent is alive (it calls this every minute); true',
  })
  async agentHeartbeat(@Ctx() ctx: Context): Promise<boolean> {
    await agentSeen(ctx);
    return true;
  }

  @Mutation(() => AgentReportResult, {
    description:
      'AGENT tokens: what the watcher on a storage node saw; idempotent. Reports about repositories outside ' +
      'the token’s location count as unknown; a batch with a bad report (time in the future, usage below 0) ' +
      'is refused whole (BAD_USER_INPUT, problems name events.<index>.<field>)',
  })
  async reportRepositoryEvents(
    @Arg('events', () => [RepositoryEventInput]) events: RepositoryEventInput[],
    @Ctx() ctx: Context,
  ): Promise<AgentReportResult> {
    const locationId = await agentSeen(ctx);
    if (events.length > MAX_BATCH) {
      throw BadUserInputError.fromProblems([{ field: 'events', message: `at most ${MAX_BATCH} per call` }]);
    }
    const batch = events.map(reportOf);
    const problems = reportProblems(batch, ctx.services.clock.now());
    if (problems.length > 0) {
      const shown = problems.slice(0, 5).map((p) => `${p.field}: ${p.message}`);
      throw new BadUserInputError(
        `${problems.length} problem(s), nothing recorded: ${shown.join('; ')}${problems.length > 5 ? '; …' : ''}`,
        problems,
      );
    }
    return ctx.services.reports.ingest(ctx.em, batch, locationId);
  }

  @Query(() => [AgentRepository], {
    description:
      'AGENT tokens: every repository of the token’s location with the state the hive believes (borg 2: with ' +
      'the archive count and key object ids it stored)',
  })
  async agentRepositories(@Ctx() ctx: Context): Promise<AgentRepository[]> {
    const locationId = await agentSeen(ctx);
    return (await knownRepositories(ctx.em, locationId)).map((k) => ({
      repoUser: k.repoUser,
      repoName: k.repoName,
      ...k.state,
      borgVersion: k.borgVersion === 'BORG2' ? BorgVersion.BORG2 : null,
      archiveCount: k.archiveCount ?? null,
      keyIds: k.keyIds ?? null,
    }));
  }
}
