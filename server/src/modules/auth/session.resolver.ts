import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { SessionInfo } from './auth.types.js';

@Resolver()
export class SessionResolver {
  @Query(() => [SessionInfo], { description: 'Your login sessions that still count, newest first' })
  async sessions(@Ctx() ctx: Context): Promise<SessionInfo[]> {
    return ctx.services.credentials.sessions(ctx.em, requireAuth(ctx));
  }

  @Mutation(() => Boolean, { description: 'End one of your sessions (its open WebSockets close)' })
  async revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.credentials.revokeSession(ctx.em, requireAuth(ctx), parseId(id, 'session'));
    return true;
  }

  @Mutation(() => Int, { description: 'End every session of yours but this one; answers how many ended' })
  async revokeOtherSessions(@Ctx() ctx: Context): Promise<number> {
    return ctx.services.credentials.revokeOtherSessions(ctx.em, requireAuth(ctx));
  }

  @Mutation(() => Boolean, {
    description: 'Change your password; every other session of yours ends (API tokens stay)',
  })
  async changePassword(
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    await ctx.services.credentials.changePassword(ctx.em, requireAuth(ctx), currentPassword, newPassword);
    return true;
  }
}
