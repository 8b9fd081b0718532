import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { type Context, parseId, requireAdmin } from '../../graphql/context.js';
import { Group } from './group.entity.js';

@Resolver(() => Group)
export class GroupResolver {
  @Mutation(() => Group, { description: 'admin only' })
  async addGroupMember(
    @Arg('groupId', () => ID) groupId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<Group> {
    requireAdmin(ctx);
    return ctx.services.groups.addMember(ctx.em, parseId(groupId, 'group'), parseId(userId, 'user'));
  }

  @Mutation(() => Group, {
    description: "admin only; the member's ssh keys leave the repositories they reached only through it",
  })
  async removeGroupMember(
    @Arg('groupId', () => ID) groupId: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: Context,
  ): Promise<Group> {
    requireAdmin(ctx);
    return ctx.services.groups.removeMember(ctx.em, parseId(groupId, 'group'), parseId(userId, 'user'));
  }

  @Mutation(() => Boolean, {
    description: "admin only; members' ssh keys leave the repositories they reached only through it",
  })
  async deleteGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireAdmin(ctx);
    return ctx.services.groups.deleteGroup(ctx.em, parseId(id, 'group'));
  }

  @Mutation(() => Group, { description: 'admin only; members and shares stay' })
  async renameGroup(
    @Arg('id', () => ID) id: string,
    @Arg('name') name: string,
    @Ctx() ctx: Context,
  ): Promise<Group> {
    requireAdmin(ctx);
    return ctx.services.users.renameGroup(ctx.em, parseId(id, 'group'), name);
  }
}
