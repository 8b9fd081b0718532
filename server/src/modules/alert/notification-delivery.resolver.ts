import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { canAccess } from '../auth/index.js';
import { RepositoryEvent, Repository, type RepositoryView } from '../repository/index.js';
import { NotificationChannel } from '../notification/index.js';
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

  @FieldResolver(() => String, {
    description: 'the message title as sent; a fixed text when you may not see its repository',
  })
  async title(@Root() delivery: NotificationDelivery, @Ctx() ctx: Context): Promise<string> {
    return (await this.repository(delivery, ctx)) === null ? HIDDEN_TITLE : delivery.message.title;
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
    return (await this.repository(delivery, ctx)) === null
      ? null
      : ctx.em.findOne(RepositoryEvent, { id: delivery.event.id });
  }

  @FieldResolver(() => Repository, { nullable: true, description: 'null when you may not see it' })
  async repository(
    @Root() delivery: NotificationDelivery,
    @Ctx() ctx: Context,
  ): Promise<RepositoryView | null> {
    const repo = await ctx.loaders.repositories.load(delivery.repository.id);
    const audience = repo && { ownerId: repo.owner.id, groupIds: repo.groups.map((g) => g.id) };
    return audience && canAccess(requireAuth(ctx), audience) ? repo : null;
  }
}
