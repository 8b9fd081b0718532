import { type Context, requireAuth } from '../../graphql/context.js';
import { ForbiddenError } from '../../graphql/errors.js';
import { TokenScope } from '../auth/index.js';
import { announceChanged } from '../repository/index.js';

/** The location the caller's AGENT token serves; everything else is refused. */
export function requireAgent(ctx: Context): number {
  const auth = requireAuth(ctx);
  if (!auth.isAdmin || auth.scope !== TokenScope.AGENT) {
    throw new ForbiddenError('only an AGENT token of an admin may do this');
  }
  if (auth.locationId === null) {
    throw new ForbiddenError(
      'this AGENT token is bound to no location (made before tokens were bound): create a new one with ' +
        'createApiToken(scope: AGENT, locationId: ...) or borg-hive token create ... AGENT --location <name|id>',
    );
  }
  return auth.locationId;
}

/**
 * The agent's location, whose last report time this call renews: an agent that calls nothing for
 * BORGHIVE_AGENT_AWAY_AFTER_SECONDS is away and its repositories are UNKNOWN (contract §7).
 */
export async function agentSeen(ctx: Context): Promise<number> {
  const locationId = requireAgent(ctx);
  const back = await ctx.services.health.agentSeen(ctx.em, locationId);
  await announceChanged(ctx.em, ctx.services.bus, back);
  return locationId;
}
