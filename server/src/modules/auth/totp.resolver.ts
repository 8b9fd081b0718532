import { Arg, Ctx, Field, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { type Context, requireAuth } from '../../graphql/context.js';
import { ForbiddenError } from '../../graphql/errors.js';
import type { AuthInfo } from './auth-info.js';

@ObjectType({ simpleResolvers: true, description: 'TOTP enrolment: put this in an authenticator app' })
export class TotpEnrollment {
  @Field({ description: 'base32; shown while enrolment is open, never again once confirmed' })
  secret!: string;

  @Field({ description: 'otpauth://totp/... for a QR code' })
  otpauthUrl!: string;
}

@ObjectType({ simpleResolvers: true })
export class TotpStatus {
  @Field()
  enabled!: boolean;

  @Field(() => Int)
  recoveryCodesLeft!: number;
}

/**
 * A wrong code counts like a wrong password (same throttle, same lockout): a stolen session cannot
 * guess its way to turning the second factor off.
 */
async function throttled<T>(ctx: Context, auth: AuthInfo, check: () => Promise<T>): Promise<T> {
  const throttle = ctx.services.auth.throttle;
  const admission = await throttle.admit(auth.username.toLowerCase(), ctx.address);
  if (!admission.allowed) {
    throw new ForbiddenError(
      `too many wrong codes; try again in ${Math.ceil(admission.retryAfterSeconds / 60)} minute(s)`,
    );
  }
  try {
    const result = await check();
    await throttle.succeed(admission.attempt);
    return result;
  } catch (err) {
    await throttle.fail(admission.attempt);
    throw err;
  }
}

function sessionOnly(auth: AuthInfo): AuthInfo {
  if (auth.via !== 'session') throw new ForbiddenError('manage second factors from a login session');
  return auth;
}

@Resolver()
export class TotpResolver {
  @Query(() => TotpStatus, { description: 'Whether your sign-in asks for a TOTP code' })
  async totpStatus(@Ctx() ctx: Context): Promise<TotpStatus> {
    const auth = requireAuth(ctx);
    return Object.assign(new TotpStatus(), {
      enabled: await ctx.services.totp.isEnabled(ctx.em, auth.userId),
      recoveryCodesLeft: await ctx.services.totp.recoveryCodesLeft(ctx.em, auth.userId),
    });
  }

  @Mutation(() => TotpEnrollment, {
    description: 'Start TOTP enrolment; confirmTotp with a code turns it on',
  })
  async enableTotp(@Ctx() ctx: Context): Promise<TotpEnrollment> {
    const auth = sessionOnly(requireAuth(ctx));
    return Object.assign(new TotpEnrollment(), await ctx.services.totp.enable(ctx.em, auth.userId));
  }

  @Mutation(() => [String], {
    description:
      'Turn TOTP on with a code from the app; answers the recovery codes, shown only now. Your other sessions end.',
  })
  async confirmTotp(@Arg('code') code: string, @Ctx() ctx: Context): Promise<string[]> {
    const auth = sessionOnly(requireAuth(ctx));
    const codes = await throttled(ctx, auth, () => ctx.services.totp.confirm(ctx.em, auth.userId, code));
    await ctx.services.credentials.secondFactorAdded(ctx.em, auth);
    return codes;
  }

  @Mutation(() => Boolean, { description: 'Turn TOTP off with a current code or a recovery code' })
  async disableTotp(@Arg('code') code: string, @Ctx() ctx: Context): Promise<boolean> {
    const auth = sessionOnly(requireAuth(ctx));
    await throttled(ctx, auth, () => ctx.services.totp.disable(ctx.em, auth.userId, code));
    return true;
  }
}
