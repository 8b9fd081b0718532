import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAdmin, requireAuth } from '../../graphql/context.js';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '../../graphql/errors.js';
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
    checkLocation(name, sshHost, sshPort);
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

  @Mutation(() => RepositoryLocation, {
    description: 'admin only; the address borg clients use changes for every repository there',
  })
  async updateLocation(
    @Arg('id', () => ID) id: string,
    @Arg('name') name: string,
    @Arg('sshHost') sshHost: string,
    @Arg('sshPort', () => Int) sshPort: number,
    @Arg('isDefault') isDefault: boolean,
    @Ctx() ctx: Context,
  ): Promise<RepositoryLocation> {
    requireAdmin(ctx);
    const location = await ctx.em.findOne(RepositoryLocation, { id: parseId(id, 'location') });
    if (!location) throw new NotFoundError('location', id);
    checkLocation(name, sshHost, sshPort);
    if (await ctx.em.count(RepositoryLocation, { name, id: { $ne: location.id } }))
      throw new ConflictError(`location ${name} exists`);
    if (location.isDefault && !isDefault)
      throw BadUserInputError.fromProblems([
        { field: 'isDefault', message: 'make another location the default instead' },
      ]);
    if (isDefault && !location.isDefault)
      await ctx.em.nativeUpdate(RepositoryLocation, { isDefault: true }, { isDefault: false });
    Object.assign(location, { name, sshHost, sshPort, isDefault });
    await ctx.em.flush();
    return location;
  }

  @Mutation(() => Boolean, {
    description:
      'admin only; refused (CONFLICT) for the default location and one that repositories or tokens use',
  })
  async deleteLocation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireAdmin(ctx);
    const location = await ctx.em.findOne(RepositoryLocation, { id: parseId(id, 'location') });
    if (!location) throw new NotFoundError('location', id);
    if (location.isDefault) throw new ConflictError('the default location cannot be deleted');
    // By table: the repository and token modules import this one, not the other way round.
    const users = await ctx.em
      .getConnection()
      .execute<{ n: number | string }[]>(
        'select (select count(*) from repositories where location_id = ?) + (select count(*) from api_tokens where location_id = ?) as n',
        [location.id, location.id],
      );
    if (Number(users[0]?.n ?? 0) > 0)
      throw new ConflictError(`location ${location.name} still has repositories or agent tokens`);
    ctx.em.remove(location);
    await ctx.em.flush();
    return true;
  }
}

function checkLocation(name: string, sshHost: string, sshPort: number): void {
  const problems: FieldProblem[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/.test(name))
    problems.push({ field: 'name', message: '1-100 letters, digits, space . _ -' });
  if (!/^[A-Za-z0-9.:-]{1,255}$/.test(sshHost))
    problems.push({ field: 'sshHost', message: 'a host name or address' });
  if (!Number.isInteger(sshPort) || sshPort < 1 || sshPort > 65535)
    problems.push({ field: 'sshPort', message: '1..65535' });
  if (problems.length) throw BadUserInputError.fromProblems(problems);
}
