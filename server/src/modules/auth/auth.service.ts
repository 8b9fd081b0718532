import type { Logger } from 'pino';
import type { Em } from '../../db/orm.js';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../../graphql/errors.js';
import type { Clock } from '../../adapters/clock.js';
import { RepositoryLocation } from '../location/index.js';
import type { CreationLimits } from '../limits/index.js';
import { User } from '../user/index.js';
import { ApiToken } from './api-token.entity.js';
import type { AuthInfo } from './auth-info.js';
import type { LoginAttempt, LoginThrottle } from './login-throttle.js';
import {
  burnPasswordCheck,
  newBearerToken,
  sha256Hex,
  tokenKindOf,
  verifyPassword,
} from '../../security/secrets.js';
import { Session } from './session.entity.js';
import { type CredentialState, stateOfSession, stateOfToken } from './credential.js';
import { TokenScope } from './token-scope.js';

const LAST_USED_RESOLUTION_MS = 60_000;

/** What login needs of second factors (TotpService): whether the user has one, and a one-time check. */
export interface SecondFactorCheck {
  isEnabled(em: Em, userId: number): Promise<boolean>;
  verify(em: Em, userId: number, code: string): Promise<boolean>;
  /** More for the client that is asked for a second factor (otpRequired's extensions): a passkey challenge. */
  prompt?(em: Em, userId: number): Promise<Record<string, unknown>>;
  /** A passkey's answer to the challenge `prompt` gave; each is accepted once. */
  verifyPasskey?(em: Em, userId: number, response: unknown): Promise<boolean>;
}

/**
 * BORGHIVE_OIDC_ONLY: password sign-in is refused to everyone but admins, who are pointed to the
 * provider (named here) instead.
 */
export interface PasswordPolicy {
  adminsOnly: boolean;
  provider: string;
}

export class AuthService {
  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly sessionTtlHours: number,
    readonly throttle: LoginThrottle,
    private readonly limits: CreationLimits,
    private readonly secondFactor: SecondFactorCheck,
    private readonly passwords: PasswordPolicy = { adminsOnly: false, provider: '' },
  ) {}

  async login(
    em: Em,
    username: string,
    password: string,
    address: string,
    userAgent: string | null = null,
    otp: string | null = null,
    passkey: unknown = null,
  ): Promise<{ token: string; user: User }> {
    // counted before the password is looked at, so concurrent guesses cannot all be checked
    const admission = await this.throttle.admit(username.toLowerCase(), address);
    if (!admission.allowed) {
      throw new ForbiddenError(
        `too many failed logins; try again in ${Math.ceil(admission.retryAfterSeconds / 60)} minute(s)`,
      );
    }
    const { attempt } = admission;
    const user = await em.findOne(User, { username });
    const ok = user
      ? await verifyPassword(user.passwordHash, password)
      : (await burnPasswordCheck(password), false);
    if (!user || !ok) return this.refuse(attempt, username, address, 'wrong user name or password');
    if (this.passwords.adminsOnly && !user.isAdmin) {
      // said only after the right password, so it tells a guesser nothing
      await this.throttle.release(attempt);
      throw new UnauthenticatedError(`password sign-in is off: sign in with ${this.passwords.provider}`, {
        oidcOnly: true,
      });
    }
    const hasSecondFactor = await this.secondFactor.isEnabled(em, user.id);
    if (hasSecondFactor) {
      const byPasskey = passkey !== null && passkey !== undefined;
      if (!byPasskey && (otp === null || otp.trim() === '')) {
        await this.throttle.release(attempt);
        throw new UnauthenticatedError('enter the code of your authenticator app (or a recovery code)', {
          otpRequired: true,
          ...(await this.secondFactor.prompt?.(em, user.id)),
        });
      }
      const passed = byPasskey
        ? (await this.secondFactor.verifyPasskey?.(em, user.id, passkey)) === true
        : await this.secondFactor.verify(em, user.id, otp ?? '');
      if (!passed) return this.refuse(attempt, username, address, 'wrong or used code');
    }
    await this.throttle.succeed(attempt);
    return { token: await this.startSession(em, user, address, userAgent, hasSecondFactor), user };
  }

  /** A new login session for a user who has just proved who they are; answers its bearer token. */
  async startSession(
    em: Em,
    user: User,
    address: string,
    userAgent: string | null,
    secondFactor: boolean,
  ): Promise<string> {
    const token = newBearerToken('session');
    const now = this.clock.now();
    em.create(Session, {
      tokenHash: sha256Hex(token),
      user,
      expiresAt: new Date(now.getTime() + this.sessionTtlHours * 3_600_000),
      createdAt: now,
      address: address.slice(0, 64),
      userAgent: userAgent?.slice(0, 255) ?? null,
      secondFactor,
    });
    await em.flush();
    return token;
  }

  /** A wrong password or code: counted, slowed down, and locked out like any other guess. */
  async refuse(
    attempt: LoginAttempt,
    username: string,
    address: string,
    message: string,
    extensions: Record<string, unknown> = {},
  ): Promise<never> {
    const after = await this.throttle.fail(attempt);
    this.logger.warn({ username, address }, 'failed login');
    if (after.delayMs > 0) await new Promise((r) => setTimeout(r, after.delayMs));
    if (after.locked) {
      throw new ForbiddenError(
        `too many failed logins; locked for ${Math.ceil(after.retryAfterSeconds / 60)} minute(s)`,
      );
    }
    throw new UnauthenticatedError(message, extensions);
  }

  async createApiToken(
    em: Em,
    userId: number,
    name: string,
    scope: TokenScope,
    expiresAt: Date | null,
    locationId: number | null = null,
  ): Promise<{ token: string; apiToken: ApiToken }> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) throw new BadUserInputError('name: 1 to 100 characters');
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new BadUserInputError('expiresAt: must be in the future');
    }
    if (scope === TokenScope.AGENT && locationId === null) {
      throw BadUserInputError.fromProblems([
        { field: 'locationId', message: 'an AGENT token serves one storage node: name its location' },
      ]);
    }
    if (scope !== TokenScope.AGENT && locationId !== null) {
      throw BadUserInputError.fromProblems([
        { field: 'locationId', message: 'only AGENT tokens are bound to a location' },
      ]);
    }
    if (locationId !== null && (await em.count(RepositoryLocation, { id: locationId })) === 0) {
      throw new NotFoundError('location', locationId);
    }
    const token = newBearerToken('token');
    const apiToken = em.create(ApiToken, {
      name: trimmed,
      scope,
      secretHash: sha256Hex(token),
      user: em.getReference(User, userId),
      expiresAt,
      location: locationId === null ? null : em.getReference(RepositoryLocation, locationId),
      createdAt: this.clock.now(),
    });
    await this.limits.flushCreation(em, userId, 'apiTokens');
    return { token, apiToken };
  }

  /** Resolves a bearer token to the caller, or null when it is unknown, expired or revoked. */
  async authenticate(em: Em, bearer: string): Promise<AuthInfo | null> {
    const state = await this.credentialOf(em, bearer);
    return state?.live ? state.auth : null;
  }

  /** The credential behind a bearer token and how long it holds; null for something that is none. */
  async credentialOf(em: Em, bearer: string): Promise<CredentialState | null> {
    const kind = tokenKindOf(bearer);
    if (kind === null) return null;
    const hash = sha256Hex(bearer);
    const now = this.clock.now();
    const populate = ['user', 'user.groups'] as const;
    if (kind === 'session') {
      const s = await em.findOne(Session, { tokenHash: hash }, { populate });
      const state = stateOfSession(s, now);
      if (s && state.live && this.due(s.lastUsedAt, now)) {
        await em.nativeUpdate(Session, { id: s.id }, { lastUsedAt: now });
      }
      return state;
    }
    const t = await em.findOne(ApiToken, { secretHash: hash }, { populate });
    const state = stateOfToken(t, now);
    if (t && state.live && this.due(t.lastUsedAt, now)) {
      await em.nativeUpdate(ApiToken, { id: t.id }, { lastUsedAt: now });
    }
    return state;
  }

  private due(lastUsedAt: Date | null, now: Date): boolean {
    return !lastUsedAt || now.getTime() - lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS;
  }
}
