import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { BadUserInputError } from '../../graphql/errors.js';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { canAccess } from '../auth/index.js';
import { RepositoryEvent, Repository, type RepositoryView } from '../repository/index.js';
import { NotificationChannel, NotificationChannelInput } from '../notification/index.js';
import { recordTestDelivery } from './outbox-rows.js';
import { NotificationDelivery } from './notification-delivery.entity.js';

/** What a member of a shared channel's group sees for an alert about a repository hidden from them. */
export const HIDDEN_TITLE = 'Alert about a repository you may not see';

@Resolver(() => NotificationDelivery)
export class NotificationDeliveryResolver {
  @Query(() => [NotificationDelivery], {
    description:
      'the delivery log, newest first: of one channel, or of every channel you may see; with repositoryId only the alerts about that repository (one you may see, else NOT_FOUND)',
  })
  async notificationDeliveries(
    @Arg('channelId', () => ID, { nullable: true }) channelId: string | null,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Arg('repositoryId', () => ID, { nullable: true }) repositoryId: string | null,
    @Ctx() ctx: Context,
  ): Promise<NotificationDelivery[]> {
    const auth = requireAuth(ctx);
    // A repository one may not see answers NOT_FOUND: its alert history would tell it exists.
    const repository =
      repositoryId == null
        ? null
        : (await ctx.services.repositories.view(ctx.em, auth, parseId(repositoryId, 'repository'))).id;
    const channels =
      channelId == null
        ? await ctx.services.channels.list(ctx.em, auth)
        : [await ctx.services.channels.get(ctx.em, auth, parseId(channelId, 'notification channel'))];
    if (channels.length === 0) return [];
    return ctx.em.find(
      NotificationDelivery,
      {
        channel: { $in: channels.map((c) => c.id) },
        ...(repository === null ? {} : { repository }),
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: Math.min(Math.max(limit ?? 50, 1), 500) },
    );
  }

  @Mutation(() => Boolean, {
    description:
      'sends a test message, at most 10 a minute per user (then RATE_LIMITED): with input alone, these unsaved settings; with id, through that stored channel (owner or admin only; with input too, its settings, fields sent back redacted keeping their stored value), the result then recorded in its delivery log. A failure is BAD_USER_INPUT with the status or error code, never the body of the answer',
  })
  async testNotificationChannel(
    @Arg('input', () => NotificationChannelInput, { nullable: true }) input: NotificationChannelInput | null,
    @Arg('id', () => ID, { nullable: true }) id: string | null,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    const auth = requireAuth(ctx);
    if (id == null) {
      if (input == null)
        throw new BadUserInputError('give the id of a channel, its settings (input), or both');
      return ctx.services.channels.test(auth, input);
    }
    const { channel, message, error } = await ctx.services.channels.testStored(
      ctx.em,
      auth,
      parseId(id, 'notification channel'),
      input,
    );
    await recordTestDelivery(ctx.em, channel, message, error);
    if (error !== null) throw new BadUserInputError(`the test message was not delivered: ${error}`);
    return true;
  }

  @FieldResolver(() => String, {
    description: 'the message title as sent; a fixed text when you may not see its repository',
  })
  async title(@Root() delivery: NotificationDelivery, @Ctx() ctx: Context): Promise<string> {
    if (delivery.repository === null) return delivery.message.title; // a test message
    return (await this.repository(delivery, ctx)) === null ? HIDDEN_TITLE : delivery.message.title;
  }

  @FieldResolver(() => Boolean, {
    description: 'a test message (testNotificationChannel), about no repository',
  })
  isTest(@Root() delivery: NotificationDelivery): boolean {
    return delivery.event === null;
  }

  @FieldResolver(() => NotificationChannel)
  async channel(@Root() delivery: NotificationDelivery, @Ctx() ctx: Context): Promise<NotificationChannel> {
    return ctx.services.channels.get(ctx.em, requireAuth(ctx), delivery.channel.id);
  }

  @FieldResolver(() => RepositoryEvent, {
    nullable: true,
    description: 'the ALERT or RECOVERED event; null when you may not see its repository',
  })
  async event(@Root() delivery: NotificationDelivery, @Ctx() ctx: Context): Promise<RepositoryEvent | null> {
    const event = delivery.event;
    return event === null || (await this.repository(delivery, ctx)) === null
      ? null
      : ctx.em.findOne(RepositoryEvent, { id: event.id });
  }

  @FieldResolver(() => Repository, {
    nullable: true,
    description: 'null when you may not see it, and for a test message',
  })
  async repository(
    @Root() delivery: NotificationDelivery,
    @Ctx() ctx: Context,
  ): Promise<RepositoryView | null> {
    if (delivery.repository === null) return null;
    const repo = await ctx.loaders.repositories.load(delivery.repository.id);
    const audience = repo && { ownerId: repo.owner.id, groupIds: repo.groups.map((g) => g.id) };
    return audience && canAccess(requireAuth(ctx), audience) ? repo : null;
  }
}
