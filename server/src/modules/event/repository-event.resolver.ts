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

  /** `log` is a lazy column (up to 100 kB): read only when a client asks for it. */
  @FieldResolver(() => String, {
    nullable: true,
    description: 'log text a client sent with a ping (up to 100 kB)',
  })
  async log(@Root() event: RepositoryEvent, @Ctx() ctx: Context): Promise<string | null> {
    const row = await ctx.em.findOne(RepositoryEvent, { id: event.id }, { fields: ['log'] });
    return row?.log ?? null;
  }
}
