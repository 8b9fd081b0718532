import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import type { RepositoryChangedMessage, RepositoryEventMessage } from '../../graphql/event-bus.js';
import { canAccess } from '../auth/auth-info.js';
import { Repository } from '../repository/repository.entity.js';
import { RepositoryEvent } from './repository-event.entity.js';

async function* visible<T extends RepositoryChangedMessage>(
  source: AsyncIterableIterator<T>,
  ctx: Context,
  repositoryId: number | null,
): AsyncGenerator<T> {
  const auth = requireAuth(ctx);
  try {
    for await (const msg of source) {
      if (repositoryId !== null && msg.repositoryId !== repositoryId) continue;
      if (canAccess(auth, msg)) yield msg;
    }
  } finally {
    await source.return?.();
  }
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
        await ctx.services.repositories.get(ctx.em, auth, only);
      }
      return visible(ctx.services.bus.subscribe('repositoryEvent'), ctx, only);
    },
  })
  repositoryEvents(
    @Root() msg: RepositoryEventMessage,
    @Arg('repositoryId', () => ID, { nullable: true }) _repositoryId: string | null,
    @Ctx() ctx: Context,
  ): RepositoryEvent {
    const event = ctx.em.create(
      RepositoryEvent,
      {
        id: msg.event.id,
        type: msg.event.type,
        message: msg.event.message,
        createdAt: new Date(msg.event.createdAt),
        repository: ctx.em.getReference(Repository, msg.repositoryId),
      },
      { managed: true, persist: false },
    );
    return event;
  }

  @Subscription(() => Repository, {
    description: 'a repository you may see changed state, usage or staleness',
    subscribe: ({ context }) => {
      const ctx = context as Context;
      requireAuth(ctx);
      return visible(ctx.services.bus.subscribe('repositoryChanged'), ctx, null);
    },
  })
  async repositoryChanged(@Root() msg: RepositoryChangedMessage, @Ctx() ctx: Context): Promise<Repository> {
    ctx.em.clear();
    return ctx.services.repositories.get(ctx.em, requireAuth(ctx), msg.repositoryId);
  }
}
