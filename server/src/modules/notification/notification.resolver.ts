import { GraphQLJSONObject } from 'graphql-scalars';
import { validateRules, type AlertRules } from './alert-rules.js';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { canAccess } from '../auth/index.js';
import { Repository, type RepositoryView } from '../repository/index.js';
import { Group, User } from '../user/index.js';
import { NotificationChannel } from './notification-channel.entity.js';
import { NotificationChannelInput } from './notification.inputs.js';

@Resolver(() => NotificationChannel)
export class NotificationChannelResolver {
  @Query(() => [NotificationChannel])
  async notificationChannels(@Ctx() ctx: Context): Promise<NotificationChannel[]> {
    return ctx.services.channels.list(ctx.em, requireAuth(ctx));
  }

  @Mutation(() => NotificationChannel)
  async createNotificationChannel(
    @Arg('input') input: NotificationChannelInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationChannel> {
    return ctx.services.channels.create(ctx.em, requireAuth(ctx), input);
  }

  @Mutation(() => NotificationChannel, {
    description:
      'owner or admin only; settings fields sent back exactly as shown (e.g. [redacted]) keep their stored value',
  })
  async updateNotificationChannel(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: NotificationChannelInput,
    @Ctx() ctx: Context,
  ): Promise<NotificationChannel> {
    return ctx.services.channels.update(ctx.em, requireAuth(ctx), parseId(id, 'notification channel'), input);
  }

  @Mutation(() => Boolean, { description: 'owner or admin only' })
  async deleteNotificationChannel(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.channels.delete(ctx.em, requireAuth(ctx), parseId(id, 'notification channel'));
  }

  @FieldResolver(() => GraphQLJSONObject, { description: 'settings with secrets hidden' })
  settings(@Root() channel: NotificationChannel, @Ctx() ctx: Context): Record<string, unknown> {
    return ctx.services.channels.redacted(channel);
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description: 'alert rules as they apply (the defaults filled in; see NotificationChannelInput.rules)',
  })
  rules(@Root() channel: NotificationChannel): Record<string, unknown> {
    return { ...rulesOf(channel.rules) };
  }

  @FieldResolver(() => User)
  async owner(@Root() channel: NotificationChannel, @Ctx() ctx: Context): Promise<User> {
    return ctx.em.findOneOrFail(User, { id: channel.owner.id });
  }

  @FieldResolver(() => [Group])
  async groups(@Root() channel: NotificationChannel, @Ctx() ctx: Context): Promise<Group[]> {
    if (!channel.groups.isInitialized()) await ctx.em.populate(channel, ['groups']);
    return channel.groups.getItems();
  }

  @FieldResolver(() => [Repository], { description: 'empty: every repository the owner may see' })
  async repositories(@Root() channel: NotificationChannel, @Ctx() ctx: Context): Promise<RepositoryView[]> {
    const auth = requireAuth(ctx);
    if (!channel.repositories.isInitialized()) await ctx.em.populate(channel, ['repositories']);
    const views = await ctx.loaders.repositories.loadMany(channel.repositories.getItems().map((r) => r.id));
    return views.filter(
      (v): v is RepositoryView =>
        v !== null &&
        !(v instanceof Error) &&
        canAccess(auth, { ownerId: v.owner.id, groupIds: v.groups.map((g) => g.id) }),
    );
  }
}

/** Stored rules as they apply: invalid or missing ones read as the defaults (fail safe: problems still go out). */
function rulesOf(stored: unknown): AlertRules {
  try {
    return validateRules(stored);
  } catch {
    return validateRules(null);
  }
}
