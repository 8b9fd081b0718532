import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, requireAuth } from '../../graphql/context.js';
import { BadUserInputError, ForbiddenError } from '../../graphql/errors.js';
import { TokenScope } from '../auth/token-scope.js';
import { knownRepositories } from './known-repositories.js';
import { AgentReportResult, AgentRepository, RepositoryEventInput } from './agent.types.js';

const MAX_BATCH = 1000;

function requireAgent(ctx: Context): void {
  const auth = requireAuth(ctx);
  if (!auth.isAdmin || auth.scope !== TokenScope.AGENT) {
    throw new ForbiddenError('only an AGENT token of an admin may do this');
  }
}

/** The storage-node agent's side of the API (`borg-hive agent`, RemoteSink). */
@Resolver()
export class AgentResolver {
  @Mutation(() => AgentReportResult, {
    description: 'AGENT tokens: what the watcher on a storage node saw; idempotent',
  })
  async reportRepositoryEvents(
    @Arg('events', () => [RepositoryEventInput]) events: RepositoryEventInput[],
    @Ctx() ctx: Context,
  ): Promise<AgentReportResult> {
    requireAgent(ctx);
    if (events.length > MAX_BATCH) {
      throw BadUserInputError.fromProblems([{ field: 'events', message: `at most ${MAX_BATCH} per call` }]);
    }
    return ctx.services.reports.ingest(
      ctx.em,
      events.map((e) => ({
        repoUser: e.repoUser,
        repoName: e.repoName,
        type: e.type,
        at: e.at,
        ...(e.usageBytes == null ? {} : { usageBytes: e.usageBytes }),
      })),
    );
  }

  @Query(() => [AgentRepository], {
    description: 'AGENT tokens: every repository with the state the hive believes',
  })
  async agentRepositories(@Ctx() ctx: Context): Promise<AgentRepository[]> {
    requireAgent(ctx);
    return (await knownRepositories(ctx.em)).map((k) => ({
      repoUser: k.repoUser,
      repoName: k.repoName,
      ...k.state,
    }));
  }
}
