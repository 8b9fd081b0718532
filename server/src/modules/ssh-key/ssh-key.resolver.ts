import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { NotFoundError } from '../../graphql/errors.js';
import { Group, User } from '../user/index.js';
import type { SshKeyView } from './ssh-key.view.js';
import { SshKey } from './ssh-key.entity.js';

/** Keys come as entities, or as plain rows inside the repository list. */
type SshKeyLike = SshKey | SshKeyView;

@Resolver(() => SshKey)
export class SshKeyResolver {
  @Query(() => [SshKey], { description: 'keys you own or that are shared with your groups' })
  async sshKeys(@Ctx() ctx: Context): Promise<SshKey[]> {
    return ctx.services.sshKeys.list(ctx.em, requireAuth(ctx));
  }

  @Mutation(() => SshKey)
  async addSshKey(
    @Arg('name') name: string,
    @Arg('publicKey') publicKey: string,
    @Ctx() ctx: Context,
  ): Promise<SshKey> {
    return ctx.services.sshKeys.add(ctx.em, requireAuth(ctx), name, publicKey);
  }

  @Mutation(() => Boolean, {
    description: 'removes the key from every repository; its next login is refused',
  })
  async deleteSshKey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    return ctx.services.sshKeys.delete(ctx.em, requireAuth(ctx), parseId(id, 'ssh key'));
  }

  @FieldResolver(() => String, { description: 'the key line: type, base64 blob and comment' })
  publicKey(@Root() key: SshKeyLike): string {
    return key.comment ? `${key.type} ${key.keyData} ${key.comment}` : `${key.type} ${key.keyData}`;
  }

  @FieldResolver(() => User)
  async owner(@Root() key: SshKeyLike, @Ctx() ctx: Context): Promise<User> {
    if (!(key instanceof SshKey)) {
      const owner = await ctx.loaders.users.load(key.ownerId);
      if (!owner) throw new NotFoundError('user', key.ownerId);
      return owner;
    }
    return key.owner.isInitialized()
      ? key.owner.getEntity()
      : ctx.em.findOneOrFail(User, { id: key.owner.id });
  }

  @FieldResolver(() => [Group])
  async groups(@Root() key: SshKeyLike, @Ctx() ctx: Context): Promise<Group[]> {
    if (!(key instanceof SshKey)) return ctx.loaders.sshKeyGroups.load(key.id);
    if (!key.groups.isInitialized()) await ctx.em.populate(key, ['groups']);
    return key.groups.getItems();
  }
}
