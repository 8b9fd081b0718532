import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { ForbiddenError } from '../../graphql/errors.js';
import { ApiToken } from './api-token.entity.js';
import { CreatedApiToken, Session } from './auth.types.js';
import { TokenScope } from './token-scope.js';

@Resolver()
export class AuthResolver {
  @Mutation(() => Session, { description: 'Log in; wrong passwords slow down and then lock out for a while' })
  async login(
    @Arg('username') username: string,
    @Arg('password') password: string,
    @Arg('otp', () => String, {
      nullable: true,
      description: 'with TOTP on: a code from the app or a recovery code (without it: otpRequired)',
    })
    otp: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('passkey', () => GraphQLJSONObject, {
      nullable: true,
      description:
        'instead of otp: the passkey’s answer (AuthenticationResponseJSON) to otpRequired’s passkeyOptions',
    })
    passkey?: object | null,
  ): Promise<Session> {
    const { token, user } = await ctx.services.auth.login(
      ctx.em,
      username,
      password,
      ctx.address,
      ctx.userAgent,
      otp ?? null,
      passkey ?? null,
    );
    const expiresAt = new Date(
      ctx.services.clock.now().getTime() + ctx.services.config.sessionTtlHours * 3_600_000,
    );
    return Object.assign(new Session(), { token, user, expiresAt });
  }

  @Mutation(() => Boolean, { description: 'End the current login session' })
  async logout(@Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.credentials.logout(ctx.em, requireAuth(ctx));
    return true;
  }

  @Mutation(() => CreatedApiToken)
  async createApiToken(
    @Arg('name') name: string,
    @Arg('scope', () => TokenScope) scope: TokenScope,
    @Arg('expiresAt', () => Date, { nullable: true }) expiresAt: Date | null,
    @Arg('locationId', () => ID, {
      nullable: true,
      description:
        'AGENT tokens only, and required for them: the location whose repositories the agent serves',
    })
    locationId: string | null,
    @Ctx() ctx: Context,
  ): Promise<CreatedApiToken> {
    const auth = requireAuth(ctx);
    if ((scope === TokenScope.KEYS_READ || scope === TokenScope.AGENT) && !auth.isAdmin) {
      throw new ForbiddenError(
        'KEYS_READ and AGENT tokens serve storage nodes: only an admin may create them',
      );
    }
    if (scope === TokenScope.METRICS && !auth.isAdmin) {
      throw new ForbiddenError(
        'METRICS tokens read every repository’s metrics: only an admin may create them',
      );
    }
    const created = await ctx.services.auth.createApiToken(
      ctx.em,
      auth.userId,
      name,
      scope,
      expiresAt ?? null,
      locationId == null ? null : parseId(locationId, 'location'),
    );
    return Object.assign(new CreatedApiToken(), created);
  }

  @Query(() => [ApiToken], { description: 'Your API tokens (secrets are never shown again)' })
  async apiTokens(@Ctx() ctx: Context): Promise<ApiToken[]> {
    const auth = requireAuth(ctx);
    return ctx.em.find(ApiToken, { user: auth.userId }, { orderBy: { id: 'asc' } });
  }

  @Mutation(() => Boolean)
  async revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    await ctx.services.credentials.revokeApiToken(ctx.em, requireAuth(ctx), parseId(id, 'api token'));
    return true;
  }
}
