import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import type { Em } from '../../db/orm.js';
import { Repository, type RepositoryView, RepositoryEvent } from '../repository/index.js';
import type { LiveChange, LiveEvent, LiveScope } from './live-feed.js';
import type { RepositoryEventView } from './repository-event.view.js';

/**
 * A subscription's fields read through the message's shared scope, never through an EntityManager of
 * their own: graphql-ws resolves one message of a subscription after the other, so its context points
 * at the current message's scope, which every other subscriber of that message shares.
 */
export function enterLiveScope(ctx: Context, scope: LiveScope): void {
  ctx.em = scope.em;
  ctx.loaders = scope.loaders;
}

@Resolver()
export class SubscriptionResolver {
  @Subscription(() => RepositoryEvent, {
    description: 'events of the repositories you may see (one repository when repositoryId is given)',
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const auth = requireAuth(ctx);
      const { repositoryId } = args as { repositoryId?: string | null };
      let only: number | null = null;
      if (repositoryId != null) {
        only = parseId(repositoryId, 'repository');
        await ctx.services.repositories.get(ctx.em.fork() as Em, auth, only);
      }
      return ctx.services.live.listen('repositoryEvent', auth, ctx.sendBudget, only);
    },
  })
  repositoryEvents(
    @Root() msg: LiveEvent,
    @Arg('repositoryId', () => ID, { nullable: true }) _repositoryId: string | null,
    @Ctx() ctx: Context,
  ): RepositoryEventView {
    enterLiveScope(ctx, msg.scope);
    return msg.event;
  }

  @Subscription(() => Repository, {
    description:
      'a repository you may see was added or changed state, usage or staleness (deletions: repositoryRemoved)',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return ctx.services.live.listen('repositoryChanged', requireAuth(ctx), ctx.sendBudget);
    },
  })
  repositoryChanged(@Root() msg: LiveChange, @Ctx() ctx: Context): RepositoryView {
    enterLiveScope(ctx, msg.scope);
    return msg.view;
  }

  @Subscription(() => ID, {
    description: 'the id of a repository you could see that was deleted',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      return ctx.services.live.listen('repositoryRemoved', requireAuth(ctx), ctx.sendBudget);
    },
  })
  repositoryRemoved(@Root() id: number): string {
    return String(id);
  }
}
