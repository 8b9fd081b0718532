import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { type Context, requireAuth } from '../../graphql/context.js';
import { Repository } from '../repository/repository.entity.js';
import { RepositoryEvent } from './repository-event.entity.js';

@Resolver(() => RepositoryEvent)
export class RepositoryEventResolver {
  @FieldResolver(() => Repository)
  async repository(@Root() event: RepositoryEvent, @Ctx() ctx: Context): Promise<Repository> {
    return ctx.services.repositories.get(ctx.em, requireAuth(ctx), event.repository.id);
  }
}
