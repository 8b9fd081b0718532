import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { RepositoryAction } from './repository-audience.js';
import { readRepositoryPage, readRepositorySummary, PAGE_SIZE } from './repository-page.js';
import {
  RepositoryFilter,
  RepositoryOrder,
  RepositoryPage,
  RepositorySummary,
} from './repository-page.types.js';
import { prefetchRecent } from './repository-prefetch.js';
import { Repository } from './repository.entity.js';
import { CreateRepositoryInput, UpdateRepositoryInput } from './repository.inputs.js';
import type { RepositoryView } from './repository.view.js';

/** Queries and mutations answer with plain views (see RepositoryFieldsResolver for their fields). */
@Resolver(() => Repository)
export class RepositoryResolver {
  @Query(() => [Repository], {
    description: 'repositories you own or that are shared with your groups (admin: all)',
  })
  async repositories(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<RepositoryView[]> {
    const repos = await ctx.services.repositories.list(ctx.em, requireAuth(ctx));
    await prefetchRecent(
      ctx,
      info,
      repos.map((r) => r.id),
    );
    return repos;
  }

  @Query(() => RepositoryPage, {
    description:
      'contract §8: a page of the repositories you may see, sorted and filtered on the server (keyset-paged)',
  })
  async repositoryPage(
    @Arg('first', () => Int, { defaultValue: PAGE_SIZE.default, description: '1..500' }) first: number,
    @Arg('after', () => String, { nullable: true, description: 'endCursor of the previous page' })
    after: string | null,
    @Arg('filter', () => RepositoryFilter, { nullable: true }) filter: RepositoryFilter | null,
    @Arg('orderBy', () => RepositoryOrder, { defaultValue: RepositoryOrder.ATTENTION })
    orderBy: RepositoryOrder,
    @Arg('reverse', () => Boolean, { defaultValue: false }) reverse: boolean,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RepositoryPage> {
    const page = await readRepositoryPage(ctx.em, requireAuth(ctx), {
      first,
      after,
      filter,
      orderBy,
      reverse,
    });
    await prefetchRecent(
      ctx,
      info,
      page.edges.map((e) => e.node.id),
    );
    return page;
  }

  @Query(() => RepositorySummary, { description: 'counts over the repositories you may see' })
  async repositorySummary(
    @Arg('filter', () => RepositoryFilter, { nullable: true }) filter: RepositoryFilter | null,
    @Ctx() ctx: Context,
  ): Promise<RepositorySummary> {
    return readRepositorySummary(ctx.em, requireAuth(ctx), filter);
  }

  @Query(() => Repository, { nullable: true })
  async repository(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<RepositoryView> {
    return ctx.services.repositories.view(ctx.em, requireAuth(ctx), parseId(id, 'repository'));
  }

  @Mutation(() => Repository)
  async createRepository(
    @Arg('input') input: CreateRepositoryInput,
    @Ctx() ctx: Context,
  ): Promise<RepositoryView> {
    const auth = requireAuth(ctx);
    const repo = await ctx.services.repositories.create(ctx.em, auth, input);
    return ctx.services.repositories.view(ctx.em, auth, repo.id);
  }

  @Mutation(() => Repository)
  async updateRepository(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRepositoryInput,
    @Ctx() ctx: Context,
  ): Promise<RepositoryView> {
    const auth = requireAuth(ctx);
    const repo = await ctx.services.repositories.update(ctx.em, auth, parseId(id, 'repository'), input);
    return ctx.services.repositories.view(ctx.em, auth, repo.id);
  }

  @Mutation(() => Boolean, { description: 'the data stays on disk unless deleteData is true' })
  async deleteRepository(
    @Arg('id', () => ID) id: string,
    @Arg('deleteData', { defaultValue: false }) deleteData: boolean,
    @Ctx() ctx: Context,
  ): Promise<boolean> {
    return ctx.services.repositories.delete(ctx.em, requireAuth(ctx), parseId(id, 'repository'), deleteData);
  }

  @Mutation(() => Repository, { description: 're-read state and usage from disk now' })
  async refreshRepository(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<RepositoryView> {
    const auth = requireAuth(ctx);
    const repo = await ctx.services.repositories.getFor(
      ctx.em,
      auth,
      parseId(id, 'repository'),
      RepositoryAction.OPERATE,
    );
    await ctx.services.refresher.refresh(ctx.em, repo);
    return ctx.services.repositories.view(ctx.em, auth, repo.id);
  }
}
