import { raw } from '@mikro-orm/sql';
import type { Clock } from '../../adapters/clock.js';
import type { Config, LimitsConfig } from '../../config/config.js';
import { inTransaction } from '../../db/in-transaction.js';
import type { Em } from '../../db/orm.js';
import { toDate } from '../../db/sql-values.js';
import { LimitExceededError, NotFoundError, RateLimitedError } from '../../graphql/errors.js';
import type { User } from '../user/index.js';
import { CreationWindow } from './creation-window.entity.js';
import { LIMIT_KINDS, type LimitKind } from './limit-kind.js';

type Row = Record<string, unknown>;

const WINDOW_MS = 60_000;

/**
 * Per-user limits on what users create (repositories, ssh keys, channels, API tokens: how many each, and
 * how many of them together per minute). Admins have none. `admit` runs in the creating transaction,
 * before the insert, holding the user's row (SELECT ... FOR UPDATE on MariaDB; SQLite runs one write
 * transaction at a time): concurrent creations of one user are counted one after another, so they never
 * pass the limit together. The minute's count lives in creation_windows, shared by every API instance.
 */
export class CreationLimits {
  constructor(
    private readonly config: LimitsConfig,
    private readonly dialect: Config['database']['dialect'],
    private readonly clock: Clock,
  ) {}

  /** The limits that apply to this user (0: none). */
  of(user: User): Record<LimitKind | 'creationsPerMinute', number> {
    const own = (value: number | null, kind: LimitKind) =>
      user.isAdmin ? 0 : (value ?? LIMIT_KINDS[kind].default(this.config));
    return {
      repositories: own(user.limitRepositories, 'repositories'),
      sshKeys: own(user.limitSshKeys, 'sshKeys'),
      channels: own(user.limitChannels, 'channels'),
      apiTokens: own(user.limitApiTokens, 'apiTokens'),
      creationsPerMinute: user.isAdmin ? 0 : this.config.creationsPerMinute,
    };
  }

  /**
   * Refuses (LIMIT_EXCEEDED, RATE_LIMITED) or counts one more creation; call it inside the transaction that
   * inserts, before the insert. Raw SQL only: nothing here flushes what the caller is about to insert.
   */
  async admit(em: Em, userId: number, kind: LimitKind): Promise<void> {
    const info = LIMIT_KINDS[kind];
    const conn = em.getConnection();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the driver types its transaction handle as any
    const tx = em.getTransactionContext();
    if (!tx) throw new Error('CreationLimits.admit needs a transaction');
    const lock = this.dialect === 'mariadb' ? ' for update' : '';
    const [user] = await conn.execute<Row[]>(
      `select is_admin, ${info.column} as own from users where id = ?${lock}`,
      [userId],
      'all',
      tx,
    );
    if (!user) throw new NotFoundError('user', userId);
    if (Number(user.is_admin)) return;
    const limit = user.own == null ? info.default(this.config) : Number(user.own);
    if (limit > 0) {
      const [row] = await conn.execute<Row[]>(info.countSql, [userId], 'all', tx);
      if (Number(row?.n ?? 0) >= limit) throw new LimitExceededError(info.noun, limit);
    }
    await this.countCreation(em, userId);
  }

  /** The caller's pending creation flushed in a transaction that admits it first (one call in a service). */
  async flushCreation(em: Em, userId: number, kind: LimitKind): Promise<void> {
    await inTransaction(em, async () => {
      await this.admit(em, userId, kind);
      await em.flush();
    });
  }

  private async countCreation(em: Em, userId: number): Promise<void> {
    const perMinute = this.config.creationsPerMinute;
    if (perMinute === 0) return;
    const conn = em.getConnection();
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- the driver types its transaction handle as any
    const tx = em.getTransactionContext();
    const now = this.clock.now();
    const [window] = await conn.execute<Row[]>(
      'select started_at, count from creation_windows where user_id = ?',
      [userId],
      'all',
      tx,
    );
    const startedAt = window ? toDate(window.started_at) : null;
    if (!window) {
      await em.insert(CreationWindow, { user: userId, startedAt: now, count: 1 });
      return;
    }
    if (!startedAt || now.getTime() - startedAt.getTime() >= WINDOW_MS) {
      await em.nativeUpdate(CreationWindow, { user: userId }, { startedAt: now, count: 1 });
      return;
    }
    if (Number(window.count) >= perMinute) {
      const retry = Math.max(1, Math.ceil((startedAt.getTime() + WINDOW_MS - now.getTime()) / 1000));
      throw new RateLimitedError(
        `at most ${perMinute} creations per ${WINDOW_MS / 1000} s; try again in ${retry} s`,
        retry,
        { limit: perMinute, windowSeconds: WINDOW_MS / 1000 },
      );
    }
    await em.nativeUpdate(CreationWindow, { user: userId }, { count: raw('count + 1') });
  }
}
