import type { Logger } from 'pino';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import type { EventBus } from '../../graphql/event-bus.js';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../graphql/errors.js';
import { User, passwordProblems } from '../user/index.js';
import { ApiToken } from './api-token.entity.js';
import type { AuthInfo } from './auth-info.js';
import { SessionInfo } from './auth.types.js';
import { hashPassword, verifyPassword } from '../../security/secrets.js';
import { Session } from './session.entity.js';

/**
 * Ending credentials: logout, revoking sessions and tokens, password changes. Every change is announced
 * on the event bus, so each API instance closes the open WebSockets that used what just died.
 */
export class CredentialService {
  constructor(
    private readonly clock: Clock,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  /** Every instance re-checks this user's sockets; a lost message is caught by the periodic re-check. */
  async announce(userId: number): Promise<void> {
    try {
      await this.bus.publish('credentialsChanged', { userId });
    } catch (err) {
      this.logger.warn(
        { err, userId },
        'could not announce a credential change; sockets close at the next re-check',
      );
    }
  }

  async logout(em: Em, auth: AuthInfo): Promise<void> {
    if (auth.via !== 'session')
      throw new BadUserInputError('logout ends a login session; revoke API tokens instead');
    await em.nativeUpdate(Session, { id: auth.credentialId }, { revokedAt: this.clock.now() });
    await this.announce(auth.userId);
  }

  /** The caller's sessions that still count, newest first. */
  async sessions(em: Em, auth: AuthInfo): Promise<SessionInfo[]> {
    const rows = await em.find(
      Session,
      { user: auth.userId, revokedAt: null, expiresAt: { $gt: this.clock.now() } },
      { orderBy: { id: 'desc' } },
    );
    return rows.map((s) =>
      Object.assign(new SessionInfo(), {
        id: s.id,
        createdAt: s.createdAt,
        lastUsedAt: s.lastUsedAt,
        expiresAt: s.expiresAt,
        address: s.address,
        userAgent: s.userAgent,
        current: auth.via === 'session' && auth.credentialId === s.id,
      }),
    );
  }

  /** Ends one of the caller's own sessions; anyone else's (or one that is over) is NOT_FOUND. */
  async revokeSession(em: Em, auth: AuthInfo, id: number): Promise<void> {
    const n = await em.nativeUpdate(
      Session,
      { id, user: auth.userId, revokedAt: null },
      { revokedAt: this.clock.now() },
    );
    if (n === 0) throw new NotFoundError('session', id);
    await this.announce(auth.userId);
  }

  /** Ends every session of the caller's but this one. Returns how many ended. */
  async revokeOtherSessions(em: Em, auth: AuthInfo): Promise<number> {
    if (auth.via !== 'session') throw new BadUserInputError('sign in with a session to end the others');
    const n = await em.nativeUpdate(
      Session,
      { user: auth.userId, revokedAt: null, id: { $ne: auth.credentialId } },
      { revokedAt: this.clock.now() },
    );
    if (n > 0) await this.announce(auth.userId);
    return n;
  }

  /**
   * A second factor was just enrolled in this session: it counts as signed in with it, and every other
   * session (signed in without it, maybe by whoever made the owner enrol) ends.
   */
  async secondFactorAdded(em: Em, auth: AuthInfo): Promise<void> {
    await em.nativeUpdate(Session, { id: auth.credentialId }, { secondFactor: true });
    await this.revokeOtherSessions(em, auth);
  }

  /** The caller's own token, or any token for an admin; others' are NOT_FOUND. */
  async revokeApiToken(em: Em, auth: AuthInfo | null, id: number): Promise<void> {
    const token = await em.findOne(ApiToken, { id });
    if (!token || (auth && token.user.id !== auth.userId && !auth.isAdmin))
      throw new NotFoundError('api token', id);
    token.revokedAt ??= this.clock.now();
    await em.flush();
    await this.announce(token.user.id);
  }

  /** The caller's own password: the current session stays, every other session of the user ends. */
  async changePassword(em: Em, auth: AuthInfo, currentPassword: string, newPassword: string): Promise<void> {
    if (auth.via !== 'session') throw new ForbiddenError('change your password from a login session');
    const user = await em.findOneOrFail(User, { id: auth.userId });
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      throw BadUserInputError.fromProblems([{ field: 'currentPassword', message: 'wrong password' }]);
    }
    await this.setPassword(em, user, newPassword, auth.credentialId, 'newPassword');
  }

  /** An admin sets someone's password (borg-hive user passwd): all of that user's sessions end. */
  async resetPassword(em: Em, username: string, newPassword: string): Promise<void> {
    const user = await em.findOne(User, { username });
    if (!user) throw new NotFoundError('user', username);
    await this.setPassword(em, user, newPassword, null, 'password');
  }

  private async setPassword(
    em: Em,
    user: User,
    password: string,
    keepSessionId: number | null,
    field: string,
  ): Promise<void> {
    const problems = passwordProblems(password).map((p) => ({ ...p, field }));
    if (problems.length) throw BadUserInputError.fromProblems(problems);
    const hash = await hashPassword(password);
    await em.transactional(async (tx) => {
      await tx.nativeUpdate(User, { id: user.id }, { passwordHash: hash });
      await tx.nativeUpdate(
        Session,
        { user: user.id, revokedAt: null, ...(keepSessionId === null ? {} : { id: { $ne: keepSessionId } }) },
        { revokedAt: this.clock.now() },
      );
    });
    await this.announce(user.id);
  }
}
