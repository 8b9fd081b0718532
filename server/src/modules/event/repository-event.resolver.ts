import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { type Context, requireAuth } from '../../graphql/context.js';
import { NotFoundError } from '../../graphql/errors.js';
import { canAccess } from '../auth/index.js';
import { Repository, type RepositoryView, RepositoryEvent } from '../repository/index.js';
import type { RepositoryEventView } from './repository-event.view.js';

@Resolver(() => RepositoryEvent)
export class RepositoryEventResolver {
  /** Read through the request's (or the live message's) loader: one batch for every event that asks. */
  @FieldResolver(() => Repository)
  async repository(@Root() event: RepositoryEventView, @Ctx() ctx: Context): Promise<RepositoryView> {
    const auth = requireAuth(ctx);
    const id = event.repository.id;
    const repo = await ctx.loaders.repositories.load(id);
    if (!repo || !canAccess(auth, { ownerId: repo.owner.id, groupIds: repo.groups.map((g) => g.id) }))
      throw new NotFoundError('repository', id);
    return repo;
  }

  /** `log` is a lazy column (up to 100 kB): read only when a client asks for it. */
  @FieldResolver(() => String, {
    nullable: true,
    description: 'log text a client sent with a ping (up to 100 kB)',
  })
  async log(@Root() event: RepositoryEventView, @Ctx() ctx: Context): Promise<string | null> {
    return ctx.loaders.eventLogs.load(event.id);
  }
}
