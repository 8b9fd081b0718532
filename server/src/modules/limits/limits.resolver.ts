import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAdmin, requireAuth } from '../../graphql/context.js';
import { BadUserInputError, NotFoundError, type FieldProblem } from '../../graphql/errors.js';
import { User } from '../user/index.js';
import { UserLimits, UserLimitsInput } from './user-limits.types.js';

const MAX_LIMIT = 1_000_000;

@Resolver(() => User)
export class LimitsResolver {
  @FieldResolver(() => UserLimits, { nullable: true, description: 'visible to the user themself and admins' })
  limits(@Root() user: User, @Ctx() ctx: Context): UserLimits | null {
    const auth = requireAuth(ctx);
    if (auth.userId !== user.id && !auth.isAdmin) return null;
    const l = ctx.services.limits.of(user);
    return {
      repositories: l.repositories,
      sshKeys: l.sshKeys,
      notificationChannels: l.channels,
      apiTokens: l.apiTokens,
      creationsPerMinute: l.creationsPerMinute,
    };
  }

  @Mutation(() => User, { description: "admin only: a user's own limits (null: the default, 0: none)" })
  async setUserLimits(
    @Arg('userId', () => ID) userId: string,
    @Arg('input') input: UserLimitsInput,
    @Ctx() ctx: Context,
  ): Promise<User> {
    requireAdmin(ctx);
    const id = parseId(userId, 'user');
    const problems: FieldProblem[] = [];
    const valid = (field: keyof UserLimitsInput): number | null => {
      const v = input[field];
      if (v == null) return null;
      if (!Number.isInteger(v) || v < 0 || v > MAX_LIMIT)
        problems.push({ field, message: `a whole number from 0 (no limit) to ${MAX_LIMIT}, or null` });
      return v;
    };
    const values = {
      limitRepositories: valid('repositories'),
      limitSshKeys: valid('sshKeys'),
      limitChannels: valid('notificationChannels'),
      limitApiTokens: valid('apiTokens'),
    };
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    const user = await ctx.em.findOne(User, { id });
    if (!user) throw new NotFoundError('user', id);
    Object.assign(user, values);
    await ctx.em.flush();
    return user;
  }
}
