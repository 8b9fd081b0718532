import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { type Context, parseId } from '../../graphql/context.js';
import { agentSeen } from './agent-auth.js';
import {
  AgentMaintenanceLease,
  AgentMaintenanceRun,
  MaintenanceReportInput,
} from './agent-maintenance.types.js';

/**
 * Maintenance that `borg-hive agent` runs on its storage node (AGENT tokens only): runs queued for
 * repositories of the token's location are claimed, renewed while borg works, and reported. A run of
 * another location is NOT_FOUND; one that is not the calling agent's any more (ended, cancelled before
 * the claim, or failed because the claim lapsed) is a CONFLICT.
 */
@Resolver()
export class AgentMaintenanceResolver {
  @Mutation(() => AgentMaintenanceRun, {
    nullable: true,
    description:
      'AGENT tokens: the oldest maintenance run queued for the token’s location, now claimed by this agent ' +
      '(agentId: its own id, a UUID); null when there is none. Renew it every 30 s: a claim not renewed for ' +
      '2 min ends the run FAILED',
  })
  async claimMaintenanceRun(
    @Arg('agentId') agentId: string,
    @Ctx() ctx: Context,
  ): Promise<AgentMaintenanceRun | null> {
    const locationId = await agentSeen(ctx);
    return ctx.services.agentMaintenance.claim(ctx.em, locationId, agentId);
  }

  @Mutation(() => AgentMaintenanceLease, {
    description: 'AGENT tokens: renews the claim of a run this agent runs; says whether it was cancelled',
  })
  async renewMaintenanceRun(
    @Arg('runId', () => ID) runId: string,
    @Arg('agentId') agentId: string,
    @Ctx() ctx: Context,
  ): Promise<AgentMaintenanceLease> {
    const locationId = await agentSeen(ctx);
    return ctx.services.agentMaintenance.renew(ctx.em, locationId, agentId, parseId(runId, 'backup run'));
  }

  @Mutation(() => Boolean, {
    description: 'AGENT tokens: how a run this agent claimed ended (once; bounded message and log); true',
  })
  async reportMaintenanceRun(
    @Arg('runId', () => ID) runId: string,
    @Arg('agentId') agentId: string,
    @Arg('result') result: MaintenanceReportInput,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    const locationId = await agentSeen(ctx);
    await ctx.services.agentMaintenance.report(ctx.em, locationId, agentId, parseId(runId, 'backup run'), {
      state: result.state,
      exitCode: result.exitCode ?? null,
      message: result.message,
      log: result.log,
    });
    return true;
  }
}
