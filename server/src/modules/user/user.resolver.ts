import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAdmin, requireAuth } from '../../graphql/context.js';
import { BadUserInputError, type FieldProblem } from '../../graphql/errors.js';
import { Group } from './group.entity.js';
import { User } from './user.entity.js';
import { CreateUserInput, UpdateMeInput } from './user.inputs.js';

@Resolver(() => User)
export class UserResolver {
  @Query(() => User)
  async me(@Ctx() ctx: Context): Promise<User> {
    const auth = requireAuth(ctx);
    return ctx.em.findOneOrFail(User, { id: auth.userId });
  }

  @Query(() => [User], { description: 'admin only' })
  async users(@Ctx() ctx: Context): Promise<User[]> {
    requireAdmin(ctx);
    return ctx.em.find(User, {}, { orderBy: { username: 'asc' } });
  }

  @Query(() => [Group], { description: 'your groups (admin: all)' })
  async groups(@Ctx() ctx: Context): Promise<Group[]> {
    const auth = requireAuth(ctx);
    return ctx.em.find(Group, auth.isAdmin ? {} : { id: { $in: auth.groupIds } }, {
      orderBy: { name: 'asc' },
    });
  }

  @Mutation(() => User, { description: 'admin only' })
  async createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    requireAdmin(ctx);
    return ctx.services.users.create(ctx.em, input);
  }

  @Mutation(() => Boolean, {
    description:
      'admin only; the user with their ssh keys, channels, API tokens and sessions (their sockets close). Refused for yourself (BAD_USER_INPUT) and while they own repositories (CONFLICT)',
  })
  async deleteUser(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const auth = requireAdmin(ctx);
    const userId = parseId(id, 'user');
    await ctx.services.users.deleteUser(ctx.em, auth.userId, userId);
    await ctx.services.credentials.announce(userId);
    return true;
  }

  @Mutation(() => Group, { description: 'admin only' })
  async createGroup(
    @Arg('name') name: string,
    @Arg('memberIds', () => [ID], { nullable: true }) memberIds: string[] | null,
    @Ctx() ctx: Context,
  ): Promise<Group> {
    requireAdmin(ctx);
    const ids = (memberIds ?? []).map((m) => parseId(m, 'user'));
    return ctx.services.users.createGroup(ctx.em, name, ids);
  }

  @Mutation(() => User, { description: 'change your e-mail and alert preferences' })
  async updateMe(@Arg('input') input: UpdateMeInput, @Ctx() ctx: Context): Promise<User> {
    const auth = requireAuth(ctx);
    const user = await ctx.em.findOneOrFail(User, { id: auth.userId });
    const problems: FieldProblem[] = [];
    if (input.alertIntervalHours != null) {
      if (
        !Number.isInteger(input.alertIntervalHours) ||
        input.alertIntervalHours < 1 ||
        input.alertIntervalHours > 48
      ) {
        problems.push({ field: 'alertIntervalHours', message: '1 to 48 hours' });
      } else user.alertIntervalHours = input.alertIntervalHours;
    }
    if (input.alertExpirationDays != null) {
      if (
        !Number.isInteger(input.alertExpirationDays) ||
        input.alertExpirationDays < 1 ||
        input.alertExpirationDays > 30
      ) {
        problems.push({ field: 'alertExpirationDays', message: '1 to 30 days' });
      } else user.alertExpirationDays = input.alertExpirationDays;
    }
    if (input.email != null) {
      if (!/^[^\s@]{1,64}@[^\s@]{1,189}$/.test(input.email))
        problems.push({ field: 'email', message: 'not an e-mail address' });
      else user.email = input.email;
    }
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    await ctx.em.flush();
    return user;
  }

  @FieldResolver(() => String, { nullable: true, description: 'visible to the user themself and admins' })
  email(@Root() user: User, @Ctx() ctx: Context): string | null {
    const auth = requireAuth(ctx);
    return auth.userId === user.id || auth.isAdmin ? user.email : null;
  }

  @FieldResolver(() => [Group], { name: 'groups', description: 'visible to the user themself and admins' })
  async memberOf(@Root() user: User, @Ctx() ctx: Context): Promise<Group[]> {
    const auth = requireAuth(ctx);
    if (auth.userId !== user.id && !auth.isAdmin) return [];
    if (user.groups.isInitialized()) return user.groups.getItems();
    return ctx.loaders.userGroups.load(user.id);
  }
}
