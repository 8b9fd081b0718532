import type { Logger } from 'pino';
import type { Em } from '../../db/orm.js';
import {
  BadUserInputError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../../graphql/errors.js';
import type { Clock } from '../../adapters/clock.js';
import { RepositoryLocation } from '../location/location.entity.js';
import type { CreationLimits } from '../limits/creation-limits.js';
import { User } from '../user/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import type { AuthInfo } from './auth-info.js';
import type { LoginThrottle } from './login-throttle.js';
import { burnPasswordCheck, newBearerToken, sha256Hex, tokenKindOf, verifyPassword } from './secrets.js';
import { Session } from './session.entity.js';
import { TokenScope } from './token-scope.js';

const LAST_USED_RESOLUTION_MS = 60_000;

export class AuthService {
  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly sessionTtlHours: number,
    readonly throttle: LoginThrottle,
    private readonly limits: CreationLimits,
  ) {}

  async login(
    em: Em,
    username: string,
    password: string,
    address: string,
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
    if (!user || !ok) {
      const after = await this.throttle.fail(attempt);
      this.logger.warn({ username, address }, 'failed login');
      if (after.delayMs > 0) await new Promise((r) => setTimeout(r, after.delayMs));
      if (after.locked) {
        throw new ForbiddenError(
          `too many failed logins; locked for ${Math.ceil(after.retryAfterSeconds / 60)} minute(s)`,
        );
      }
      throw new UnauthenticatedError('wrong user name or password');
    }
    await this.throttle.succeed(attempt);
    const token = newBearerToken('session');
    const now = this.clock.now();
    em.create(Session, {
      tokenHash: sha256Hex(token),
      user,
      expiresAt: new Date(now.getTime() + this.sessionTtlHours * 3_600_000),
      createdAt: now,
    });
    await em.flush();
    return { token, user };
  }

  async logout(em: Em, auth: AuthInfo): Promise<void> {
    if (auth.via !== 'session')
      throw new BadUserInputError('logout ends a login session; revoke API tokens instead');
    await em.nativeUpdate(Session, { id: auth.credentialId }, { revokedAt: this.clock.now() });
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
    const kind = tokenKindOf(bearer);
    if (kind === null) return null;
    const hash = sha256Hex(bearer);
    const now = this.clock.now();
    if (kind === 'session') {
      const s = await em.findOne(Session, { tokenHash: hash }, { populate: ['user', 'user.groups'] });
      if (!s || s.revokedAt || s.expiresAt.getTime() <= now.getTime()) return null;
      return this.info(s.user.getEntity(), TokenScope.FULL, 'session', s.id, null);
    }
    const t = await em.findOne(ApiToken, { secretHash: hash }, { populate: ['user', 'user.groups'] });
    if (!t || t.revokedAt || (t.expiresAt && t.expiresAt.getTime() <= now.getTime())) return null;
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await em.nativeUpdate(ApiToken, { id: t.id }, { lastUsedAt: now });
    }
    return this.info(t.user.getEntity(), t.scope, 'token', t.id, t.location?.id ?? null);
  }

  private info(
    user: User,
    scope: TokenScope,
    via: AuthInfo['via'],
    credentialId: number,
    locationId: number | null,
  ): AuthInfo {
    return {
      userId: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      groupIds: user.groups.getItems().map((g) => g.id),
      scope,
      via,
      credentialId,
      locationId,
    };
  }
}
