import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { UnauthenticatedError } from '../../graphql/errors.js';
import { LoginSession } from '../auth/index.js';

@ObjectType({
  simpleResolvers: true,
  description: 'Sign-in through an OpenID Connect provider, as the sign-in page shows it',
})
export class OidcProviderInfo {
  @Field({ description: 'shown as "Sign in with <name>" (BORGHIVE_OIDC_NAME)' })
  name!: string;

  @Field({ description: 'where the browser starts the sign-in: GET <hive><startPath>?code_challenge=...' })
  startPath!: string;

  @Field({ description: 'the provider answered the last check' })
  available!: boolean;

  @Field(() => String, { nullable: true, description: 'why the provider cannot be used now' })
  message!: string | null;

  @Field({ description: 'BORGHIVE_OIDC_ONLY: password sign-in is open to admins only' })
  passwordForAdminsOnly!: boolean;
}

@Resolver()
export class OidcResolver {
  @Query(() => OidcProviderInfo, {
    nullable: true,
    description: 'The OpenID Connect provider of this hive (no sign-in needed); null when there is none',
  })
  async oidcProvider(@Ctx() ctx: Context): Promise<OidcProviderInfo | null> {
    const oidc = ctx.services.oidc;
    if (!oidc) return null;
    const status = await oidc.status();
    return Object.assign(new OidcProviderInfo(), {
      name: oidc.name,
      startPath: '/auth/oidc',
      ...status,
      passwordForAdminsOnly: ctx.services.config.oidc?.only ?? false,
    });
  }

  @Mutation(() => LoginSession, {
    description:
      'Ends an OpenID Connect sign-in: the one-time code the hive sent back, and the PKCE verifier of the code_challenge that started it',
  })
  async completeOidcSignIn(
    @Arg('code') code: string,
    @Arg('codeVerifier') codeVerifier: string,
    @Ctx() ctx: Context,
  ): Promise<LoginSession> {
    const oidc = ctx.services.oidc;
    if (!oidc) throw new UnauthenticatedError('this hive has no OpenID Connect sign-in');
    const { token, user } = await oidc.redeem(ctx.em, code, codeVerifier, ctx.address, ctx.userAgent);
    const expiresAt = new Date(
      ctx.services.clock.now().getTime() + ctx.services.config.sessionTtlHours * 3_600_000,
    );
    return Object.assign(new LoginSession(), { token, user, expiresAt });
  }
}
