import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { Repository, type RepositoryView } from '../repository/index.js';

@Resolver()
export class PingUrlResolver {
  @Mutation(() => Repository, {
    description:
      'A new pingUrl for the repository (e.g. after the old one leaked): the old one answers 404 at once. ' +
      'Whoever may update the repository may do this.',
  })
  async rotatePingUrl(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<RepositoryView> {
    const auth = requireAuth(ctx);
    const repo = await ctx.services.repositories.getForUpdate(ctx.em, auth, parseId(id, 'repository'));
    await ctx.services.pings.rotate(ctx.em, repo, auth.username);
    return ctx.services.repositories.view(ctx.em, auth, repo.id);
  }
}
