import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAdmin, requireAuth } from '../../graphql/context.js';
import { BadUserInputError, ConflictError, NotFoundError, type FieldProblem } from '../../graphql/errors.js';
import { fingerprintOf, keyText, parsePublicKey } from '../../security/host-keys.js';
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
    description:
      "admin only; the address borg clients use changes for every repository there. hostKeys (optional): the storage node's public host keys, one `.pub` line each (replaces them; [] clears them; left out: unchanged); the answer shows their hostKeyFingerprints",
  })
  async updateLocation(
    @Arg('id', () => ID) id: string,
    @Arg('name') name: string,
    @Arg('sshHost') sshHost: string,
    @Arg('sshPort', () => Int) sshPort: number,
    @Arg('isDefault') isDefault: boolean,
    @Ctx() ctx: Context,
    @Arg('hostKeys', () => [String], { nullable: true }) hostKeys?: string[] | null,
  ): Promise<RepositoryLocation> {
    requireAdmin(ctx);
    const location = await ctx.em.findOne(RepositoryLocation, { id: parseId(id, 'location') });
    if (!location) throw new NotFoundError('location', id);
    checkLocation(name, sshHost, sshPort);
    const keys = hostKeys == null ? undefined : hostKeyLines(hostKeys);
    if (await ctx.em.count(RepositoryLocation, { name, id: { $ne: location.id } }))
      throw new ConflictError(`location ${name} exists`);
    if (location.isDefault && !isDefault)
      throw BadUserInputError.fromProblems([
        { field: 'isDefault', message: 'make another location the default instead' },
      ]);
    if (isDefault && !location.isDefault)
      await ctx.em.nativeUpdate(RepositoryLocation, { isDefault: true }, { isDefault: false });
    Object.assign(location, { name, sshHost, sshPort, isDefault });
    if (keys !== undefined) location.sshHostKeys = keys;
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

/** At most this many host keys per location (an sshd has one per key type). */
const MAX_HOST_KEYS = 16;

/** The host keys as stored (`<type> <base64>` lines, each once), or null for none; refuses what is not a key. */
function hostKeyLines(lines: string[]): string | null {
  const problems: FieldProblem[] = [];
  if (lines.length > MAX_HOST_KEYS)
    problems.push({ field: 'hostKeys', message: `at most ${MAX_HOST_KEYS} keys` });
  const keys = new Map<string, string>();
  lines.forEach((line, i) => {
    const key = line.length <= 16_384 && !/[\r\n]/.test(line.trim()) ? parsePublicKey(line) : null;
    if (!key) {
      problems.push({
        field: 'hostKeys',
        message: `key ${i + 1} is not one public key ("<type> <base64> [comment]", as in a .pub file)`,
      });
      return;
    }
    keys.set(fingerprintOf(key), keyText(key));
  });
  if (problems.length) throw BadUserInputError.fromProblems(problems);
  return keys.size === 0 ? null : [...keys.values()].join('\n');
}
