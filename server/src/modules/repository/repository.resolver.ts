import { wrap } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { RepositoryEvent } from './repository-event.entity.js';
import { RepositoryStatistic } from './repository-statistic.entity.js';
import { RepositoryLocation } from '../location/index.js';
import { SshKey, type SshKeyView } from '../ssh-key/index.js';
import { Group, User } from '../user/index.js';
import { repositoryUrl } from './repository-naming.js';
import { clampLimit, prefetchRecent } from './repository-prefetch.js';
import { lastBackupAt as lastBackupOf, staleFrom } from './alert-schedule.js';
import { RepositoryAction } from './repository-audience.js';
import { RepositoryShareView } from './repository-share.view.js';
import { Repository } from './repository.entity.js';
import { CreateRepositoryInput, UpdateRepositoryInput } from './repository.inputs.js';
import type { RepositoryView } from './repository.view.js';

/** The list answers with plain views, single objects and mutations with entities. */
type RepositoryLike = Repository | RepositoryView;

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

  @Query(() => Repository, { nullable: true })
  async repository(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Repository> {
    return ctx.services.repositories.get(ctx.em, requireAuth(ctx), parseId(id, 'repository'));
  }

  @Mutation(() => Repository)
  async createRepository(
    @Arg('input') input: CreateRepositoryInput,
    @Ctx() ctx: Context,
  ): Promise<Repository> {
    return ctx.services.repositories.create(ctx.em, requireAuth(ctx), input);
  }

  @Mutation(() => Repository)
  async updateRepository(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRepositoryInput,
    @Ctx() ctx: Context,
  ): Promise<Repository> {
    return ctx.services.repositories.update(ctx.em, requireAuth(ctx), parseId(id, 'repository'), input);
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
  async refreshRepository(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Repository> {
    const auth = requireAuth(ctx);
    const repo = await ctx.services.repositories.getFor(
      ctx.em,
      auth,
      parseId(id, 'repository'),
      RepositoryAction.OPERATE,
    );
    await ctx.services.refresher.refresh(ctx.em, repo);
    return repo;
  }

  @FieldResolver(() => String, { description: 'absolute path on the storage node' })
  path(@Root() repo: RepositoryLike, @Ctx() ctx: Context): string {
    return ctx.services.repositories.path(repo);
  }

  @FieldResolver(() => String, {
    description: 'what a borg client uses: ssh://<repoUser>@<host>:<port>/./<name>',
  })
  url(@Root() repo: RepositoryLike, @Ctx() ctx: Context): string | Promise<string> {
    const build = (loc: RepositoryLocation) =>
      repositoryUrl(repo.repoUser, loc.sshHost, loc.sshPort, repo.name);
    const loc = this.location(repo, ctx);
    return loc instanceof Promise ? loc.then(build) : build(loc);
  }

  @FieldResolver(() => String, { description: 'ready to paste on the client' })
  borgInitCommand(@Root() repo: RepositoryLike, @Ctx() ctx: Context): string | Promise<string> {
    const command = (url: string) => `borg init --encryption=repokey-blake2 ${url}`;
    const url = this.url(repo, ctx);
    return typeof url === 'string' ? command(url) : url.then(command);
  }

  @FieldResolver(() => String, { description: 'Healthchecks-compatible ping URL for borgmatic' })
  pingUrl(@Root() repo: RepositoryLike, @Ctx() ctx: Context): string {
    return `${ctx.services.config.http.publicUrl}/ping/${repo.pingUuid}`;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'newer of the last update on disk and the last successful ping',
  })
  lastBackupAt(@Root() repo: RepositoryLike): Date | null {
    return lastBackupOf(repo);
  }

  @FieldResolver(() => Boolean, {
    description: 'alertAfterDays is set and the last backup (or creation) is older',
  })
  isStale(@Root() repo: RepositoryLike, @Ctx() ctx: Context): boolean {
    const { createdAt, alertAfterDays } = repo;
    const from = staleFrom({ lastBackup: lastBackupOf(repo), createdAt, alertAfterDays });
    if (from === null) return false;
    if (ctx.services.clock.now() >= from) return true;
    ctx.freshness.expireAt(from);
    return false;
  }

  // Relation fields answer synchronously when the list read them or a query populated them.
  @FieldResolver(() => RepositoryLocation)
  location(
    @Root() repo: RepositoryLike,
    @Ctx() ctx: Context,
  ): RepositoryLocation | Promise<RepositoryLocation> {
    if (!(repo instanceof Repository)) return repo.location;
    return repo.location.isInitialized()
      ? repo.location.getEntity()
      : ctx.em.findOneOrFail(RepositoryLocation, { id: repo.location.id });
  }

  @FieldResolver(() => [SshKey], { description: 'keys with full access' })
  sshKeys(@Root() repo: RepositoryLike, @Ctx() ctx: Context): SshKey[] | SshKeyView[] | Promise<SshKey[]> {
    if (!(repo instanceof Repository)) return repo.sshKeys;
    if (repo.sshKeys.isInitialized()) return repo.sshKeys.getItems();
    return ctx.em.populate(repo, ['sshKeys']).then(() => repo.sshKeys.getItems());
  }

  @FieldResolver(() => [SshKey], {
    description: 'keys that may only add archives (borg serve --append-only)',
  })
  appendOnlySshKeys(
    @Root() repo: RepositoryLike,
    @Ctx() ctx: Context,
  ): SshKey[] | SshKeyView[] | Promise<SshKey[]> {
    if (!(repo instanceof Repository)) return repo.appendOnlySshKeys;
    if (repo.appendOnlySshKeys.isInitialized()) return repo.appendOnlySshKeys.getItems();
    return ctx.em.populate(repo, ['appendOnlySshKeys']).then(() => repo.appendOnlySshKeys.getItems());
  }

  @FieldResolver(() => User)
  owner(@Root() repo: RepositoryLike, @Ctx() ctx: Context): User | Promise<User> {
    if (!(repo instanceof Repository)) return repo.owner;
    return repo.owner.isInitialized()
      ? repo.owner.getEntity()
      : ctx.em.findOneOrFail(User, { id: repo.owner.id });
  }

  @FieldResolver(() => [Group])
  groups(@Root() repo: RepositoryLike, @Ctx() ctx: Context): Group[] | Promise<Group[]> {
    if (!(repo instanceof Repository)) return repo.groups;
    if (repo.groups.isInitialized()) return repo.groups.getItems();
    return ctx.em.populate(repo, ['groups']).then(() => repo.groups.getItems());
  }

  @FieldResolver(() => [RepositoryShareView], {
    description: 'the groups it is shared with, and their roles',
  })
  shares(
    @Root() repo: RepositoryLike,
    @Ctx() ctx: Context,
  ): RepositoryShareView[] | Promise<RepositoryShareView[]> {
    if (!(repo instanceof Repository)) return repo.shares;
    const views = () => repo.shares.getItems().map((s) => ({ group: s.group, role: s.role }));
    if (repo.shares.isInitialized() && repo.shares.getItems().every((s) => wrap(s.group).isInitialized()))
      return views();
    return ctx.em.populate(repo, ['shares', 'shares.group']).then(views);
  }

  @FieldResolver(() => [RepositoryEvent], { description: 'newest first' })
  events(
    @Root() repo: RepositoryLike,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Ctx() ctx: Context,
  ): RepositoryEvent[] | Promise<RepositoryEvent[]> {
    return ctx.loaders.events.load({ repositoryId: repo.id, limit: clampLimit(limit) });
  }

  @FieldResolver(() => [RepositoryStatistic], { description: 'newest first' })
  statistics(
    @Root() repo: RepositoryLike,
    @Arg('limit', () => Int, { nullable: true }) limit: number | null,
    @Ctx() ctx: Context,
  ): RepositoryStatistic[] | Promise<RepositoryStatistic[]> {
    return ctx.loaders.statistics.load({ repositoryId: repo.id, limit: clampLimit(limit) });
  }
}
