import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { type Context, requireAuth } from '../../graphql/context.js';
import { ForbiddenError } from '../../graphql/errors.js';
import { TokenScope } from '../auth/index.js';

@Resolver()
export class AuthorizedKeysResolver {
  @Query(() => [String], {
    description:
      'authorized_keys lines for a repo user (sshd AuthorizedKeysCommand); admin or an admin KEYS_READ token',
  })
  async authorizedKeys(
    @Arg('user') user: string,
    @Arg('fingerprint', () => String, { nullable: true }) fingerprint: string | null,
    @Ctx() ctx: Context,
  ): Promise<string[]> {
    const auth = requireAuth(ctx);
    // Key lines open logins: an admin's session, FULL or KEYS_READ token; never READ_ONLY or AGENT.
    if (!auth.isAdmin || (auth.scope !== TokenScope.KEYS_READ && auth.scope !== TokenScope.FULL)) {
      throw new ForbiddenError('authorizedKeys needs an admin login or an admin KEYS_READ token');
    }
    return ctx.services.authorizedKeys.lines(ctx.em, user, fingerprint ?? null, ctx.address);
  }
}
