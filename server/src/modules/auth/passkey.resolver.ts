import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { type Context, parseId, requireAuth } from '../../graphql/context.js';
import { ForbiddenError, RateLimitedError, UnauthenticatedError } from '../../graphql/errors.js';
import { Session } from './auth.types.js';
import { anonymousRefusal } from './login-throttle.js';
import type { AuthInfo } from './auth-info.js';

@ObjectType('Passkey', { simpleResolvers: true, description: 'One of your passkeys (never its key)' })
export class PasskeyView {
  @Field(() => ID)
  id!: number;

  @Field()
  name!: string;

  @Field({ description: 'singleDevice, or multiDevice for a passkey synced between devices' })
  deviceType!: string;

  @Field({ description: 'the authenticator said it is backed up (synced)' })
  backedUp!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;
}

function view(p: {
  id: number;
  name: string;
  deviceType: string;
  backedUp: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}) {
  return Object.assign(new PasskeyView(), {
    id: p.id,
    name: p.name,
    deviceType: p.deviceType,
    backedUp: p.backedUp,
    createdAt: p.createdAt,
    lastUsedAt: p.lastUsedAt,
  });
}

function sessionOnly(auth: AuthInfo): AuthInfo {
  if (auth.via !== 'session') throw new ForbiddenError('manage passkeys from a login session');
  return auth;
}

@Resolver()
export class PasskeyResolver {
  @Query(() => [PasskeyView], { description: 'Your passkeys' })
  async passkeys(@Ctx() ctx: Context): Promise<PasskeyView[]> {
    const auth = requireAuth(ctx);
    return (await ctx.services.passkeys.list(ctx.em, auth.userId)).map(view);
  }

  @Mutation(() => GraphQLJSONObject, {
    description:
      'Start adding a passkey: PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create (5 minutes)',
  })
  async startPasskeyRegistration(@Ctx() ctx: Context): Promise<object> {
    const auth = sessionOnly(requireAuth(ctx));
    return ctx.services.passkeys.registrationOptions(ctx.em, auth.userId);
  }

  @Mutation(() => PasskeyView, {
    description:
      'Finish adding a passkey with the browser’s answer (RegistrationResponseJSON). It is a second factor from now on: your other sessions end.',
  })
  async finishPasskeyRegistration(
    @Arg('name') name: string,
    @Arg('response', () => GraphQLJSONObject) response: object,
    @Ctx() ctx: Context,
  ): Promise<PasskeyView> {
    const auth = sessionOnly(requireAuth(ctx));
    const passkey = await ctx.services.passkeys.register(ctx.em, auth.userId, name, response);
    await ctx.services.credentials.secondFactorAdded(ctx.em, auth);
    return view(passkey);
  }

  @Mutation(() => PasskeyView)
  async renamePasskey(
    @Arg('id', () => ID) id: string,
    @Arg('name') name: string,
    @Ctx() ctx: Context,
  ): Promise<PasskeyView> {
    const auth = sessionOnly(requireAuth(ctx));
    return view(await ctx.services.passkeys.rename(ctx.em, auth.userId, parseId(id, 'passkey'), name));
  }

  @Mutation(() => Boolean, { description: 'Delete one of your passkeys: it signs nobody in from now on' })
  async deletePasskey(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const auth = sessionOnly(requireAuth(ctx));
    await ctx.services.passkeys.remove(ctx.em, auth.userId, parseId(id, 'passkey'));
    // whoever signed in elsewhere with it (or with its help) is signed out
    await ctx.services.credentials.revokeOtherSessions(ctx.em, auth);
    return true;
  }

  @Mutation(() => GraphQLJSONObject, {
    description:
      'Start a password-less sign-in: PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get (5 minutes)',
  })
  async passkeySignInOptions(@Ctx() ctx: Context): Promise<object> {
    const admission = await ctx.services.auth.throttle.admitAnonymous('passkey-options', ctx.address);
    if (!admission.allowed)
      throw new RateLimitedError(anonymousRefusal(admission.retryAfterSeconds), admission.retryAfterSeconds);
    return ctx.services.passkeys.authenticationOptions(ctx.em, null);
  }

  @Mutation(() => Session, {
    description:
      'Sign in with a passkey alone (AuthenticationResponseJSON to passkeySignInOptions’ challenge); the authenticator must have verified you',
  })
  async loginWithPasskey(
    @Arg('response', () => GraphQLJSONObject) response: object,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    const owner = await ctx.services.passkeys.ownerOf(ctx.em, response);
    if (!owner) throw new UnauthenticatedError('this passkey is not registered on this hive');
    ctx.signInSubject = { userId: owner.id, username: owner.username };
    const throttle = ctx.services.auth.throttle;
    const admission = await throttle.admit(owner.username.toLowerCase(), ctx.address);
    if (!admission.allowed) {
      throw new ForbiddenError(
        `too many failed logins; try again in ${Math.ceil(admission.retryAfterSeconds / 60)} minute(s)`,
      );
    }
    const proof = await ctx.services.passkeys.verify(ctx.em, response, null);
    if (!proof) {
      return ctx.services.auth.refuse(
        admission.attempt,
        owner.username,
        ctx.address,
        'the passkey was refused',
      );
    }
    await throttle.succeed(admission.attempt);
    const token = await ctx.services.auth.startSession(ctx.em, owner, ctx.address, ctx.userAgent, true);
    const expiresAt = new Date(
      ctx.services.clock.now().getTime() + ctx.services.config.sessionTtlHours * 3_600_000,
    );
    return Object.assign(new Session(), { token, user: owner, expiresAt });
  }
}
