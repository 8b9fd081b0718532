import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, requireAdmin, requireAuth } from '../../graphql/context.js';
import { BadUserInputError, ConflictError, type FieldProblem } from '../../graphql/errors.js';
import { RepositoryLocation } from './location.entity.js';

@Resolver(() => RepositoryLocation)
export class LocationResolver {
  @Query(() => [RepositoryLocation])
  async locations(@Ctx() ctx: Context): Promise<RepositoryLocation[]> {
    requireAuth(ctx);
    return ctx.em.find(RepositoryLocation, {}, { orderBy: { isDefault: 'desc', name: 'asc' } });
  }

  @Mutation(() => RepositoryLocation, { description: 'admin only' })
  async createLocation(
    @Arg('name') name: string,
    @Arg('sshHost') sshHost: string,
    @Arg('sshPort', () => Int, { defaultValue: 22 }) sshPort: number,
    @Arg('isDefault', { defaultValue: false }) isDefault: boolean,
    @Ctx() ctx: Context,
  ): Promise<RepositoryLocation> {
    requireAdmin(ctx);
    const problems: FieldProblem[] = [];
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/.test(name))
      problems.push({ field: 'name', message: '1-100 letters, digits, space . _ -' });
    if (!/^[A-Za-z0-9.:-]{1,255}$/.test(sshHost))
      problems.push({ field: 'sshHost', message: 'a host name or address' });
    if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535)
      problems.push({ field: 'sshPort', message: '1..65535' });
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    if (await ctx.em.count(RepositoryLocation, { name })) throw new ConflictError(`location ${name} exists`);
    if (isDefault) await ctx.em.nativeUpdate(RepositoryLocation, { isDefault: true }, { isDefault: false });
    const loc = ctx.em.create(RepositoryLocation, {
      name,
      sshHost,
      sshPort,
      isDefault,
      createdAt: ctx.services.clock.now(),
    });
    await ctx.em.flush();
    return loc;
  }
}
