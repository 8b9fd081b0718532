import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../graphql/context.js';
import { argumentsOfSubfield } from '../../graphql/selection.js';

export function clampLimit(limit: unknown): number {
  return Math.min(Math.max(typeof limit === 'number' ? limit : 20, 1), 500);
}

/**
 * Events and statistics of every listed repository in one batch each, as the query asks for them, before
 * graphql asks repository by repository: their fields then answer synchronously (no promise each).
 */
export async function prefetchRecent(ctx: Context, info: GraphQLResolveInfo, ids: number[]): Promise<void> {
  const limits = (field: string) => argumentsOfSubfield(info, field).map((args) => clampLimit(args.limit));
  await Promise.all([
    ...limits('events').map((limit) =>
      ctx.loaders.events.prefetch(ids.map((repositoryId) => ({ repositoryId, limit }))),
    ),
    ...limits('statistics').map((limit) =>
      ctx.loaders.statistics.prefetch(ids.map((repositoryId) => ({ repositoryId, limit }))),
    ),
  ]);
}
