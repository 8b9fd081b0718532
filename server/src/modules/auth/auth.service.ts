import type { Logger } from 'pino';
import type { Em } from '../../db/orm.js';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../../graphql/errors.js';
import type { Clock } from '../../adapters/clock.js';
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
    const keys = [`user:${username.toLowerCase()}`, `addr:${address}`];
    const verdict = await this.throttle.check(keys);
    if (!verdict.allowed) {
      throw new ForbiddenError(
        `too many failed logins; try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minute(s)`,
      );
    }
    const user = await em.findOne(User, { username });
    const ok = user
      ? await verifyPassword(user.passwordHash, password)
      : (await burnPasswordCheck(password), false);
    if (!user || !ok) {
      const after = await this.throttle.fail(keys);
      this.logger.warn({ username, address }, 'failed login');
      if (after.delayMs > 0) await new Promise((r) => setTimeout(r, after.delayMs));
      if (!after.allowed) {
        throw new ForbiddenError(
          `too many failed logins; locked for ${Math.ceil(after.retryAfterSeconds / 60)} minute(s)`,
        );
      }
      throw new UnauthenticatedError('wrong user name or password');
    }
    await this.throttle.succeed(keys);
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
  ): Promise<{ token: string; apiToken: ApiToken }> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > 100) throw new BadUserInputError('name: 1 to 100 characters');
    if (expiresAt && expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new BadUserInputError('expiresAt: must be in the future');
    }
    const token = newBearerToken('token');
    const apiToken = em.create(ApiToken, {
      name: trimmed,
      scope,
      secretHash: sha256Hex(token),
      user: em.getReference(User, userId),
      expiresAt,
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
      return this.info(s.user.getEntity(), TokenScope.FULL, 'session', s.id);
    }
    const t = await em.findOne(ApiToken, { secretHash: hash }, { populate: ['user', 'user.groups'] });
    if (!t || t.revokedAt || (t.expiresAt && t.expiresAt.getTime() <= now.getTime())) return null;
    if (!t.lastUsedAt || now.getTime() - t.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await em.nativeUpdate(ApiToken, { id: t.id }, { lastUsedAt: now });
    }
    return this.info(t.user.getEntity(), t.scope, 'token', t.id);
  }

  private info(user: User, scope: TokenScope, via: AuthInfo['via'], credentialId: number): AuthInfo {
    return {
      userId: user.id,
      username: user.username,
      isAdmin: user.isAdmin,
      groupIds: user.groups.getItems().map((g) => g.id),
      scope,
      via,
      credentialId,
    };
  }
}
