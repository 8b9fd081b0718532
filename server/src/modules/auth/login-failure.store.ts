import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { raw } from '@mikro-orm/sql';
import type { Em, Orm } from '../../db/orm.js';
import { LoginFailure } from './login-failure.entity.js';
import type { FailureRecord, LoginFailureStore, Reservation } from './login-throttle.js';
import { sha256Hex } from '../../security/secrets.js';

const MAX_KEY_LENGTH = 200;

/** A key that fits the column: a long one (a 10 kB user name) is shortened and made unique by its hash. */
function storedKey(key: string): string {
  return key.length <= MAX_KEY_LENGTH ? key : `${key.slice(0, MAX_KEY_LENGTH - 65)}#${sha256Hex(key)}`;
}

function recordOf(row: LoginFailure): FailureRecord {
  return {
    failures: row.failures,
    lockedUntil: row.lockedUntil?.getTime() ?? 0,
    lastFailure: row.lastFailureAt.getTime(),
  };
}

/** Not locked at `at` and no failure since `forgetBefore`. */
function expired(at: number, forgetBefore: number) {
  return {
    lastFailureAt: { $lt: new Date(forgetBefore) },
    $or: [{ lockedUntil: null }, { lockedUntil: { $lte: new Date(at) } }],
  };
}

/**
 * The throttle's counters in the database, so every API instance on it counts the same attempts. Each
 * write is one statement, atomic on its own: concurrent reservations all count, and none past the limit.
 */
export class DbLoginFailureStore implements LoginFailureStore {
  constructor(private readonly orm: Orm) {}

  async read(keys: string[]): Promise<Map<string, FailureRecord>> {
    const byStored = new Map(keys.map((k) => [storedKey(k), k]));
    const rows = await this.em().find(LoginFailure, { key: { $in: [...byStored.keys()] } });
    return new Map(rows.map((r) => [byStored.get(r.key)!, recordOf(r)]));
  }

  async reserve(key: string, limit: number | null, at: number, forgetBefore: number): Promise<Reservation> {
    const em = this.em();
    const k = storedKey(key);
    const when = new Date(at);
    const open = { $or: [{ lockedUntil: null }, { lockedUntil: { $lte: when } }] };
    // an expired record starts over; the condition holds for no record a concurrent attempt just wrote
    await em.nativeDelete(LoginFailure, { key: k, ...expired(at, forgetBefore) });
    for (let attempt = 0; attempt < 5; attempt++) {
      // one conditional statement: the row lock (MariaDB) or the single writer (SQLite) makes
      // concurrent reservations take turns, so no more than the limit are granted
      const counted = await em.nativeUpdate(
        LoginFailure,
        { key: k, ...(limit === null ? {} : { failures: { $lt: limit } }), ...open },
        { failures: raw('failures + 1'), lastFailureAt: when },
      );
      if (counted > 0) {
        const row = await this.row(em, k);
        // gone already: a successful login of the key cleared it in between
        return {
          granted: true,
          record: row ? recordOf(row) : { failures: 1, lockedUntil: 0, lastFailure: at },
        };
      }
      const row = await this.row(em, k);
      if (row) {
        const found = recordOf(row);
        if (found.lockedUntil > at || (limit !== null && found.failures >= limit)) {
          return { granted: false, record: found };
        }
        continue; // inserted or unlocked in between: count on it
      }
      try {
        await em.insert(LoginFailure, { key: k, failures: 1, lastFailureAt: when });
        return { granted: true, record: { failures: 1, lockedUntil: 0, lastFailure: at } };
      } catch (err) {
        // another instance inserted the key first: count on its row
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
      }
    }
    throw new Error(`the login throttle could not count an attempt of ${key}: too much contention`);
  }

  async release(key: string): Promise<void> {
    await this.em().nativeUpdate(
      LoginFailure,
      { key: storedKey(key), failures: { $gt: 0 } },
      { failures: raw('failures - 1') },
    );
  }

  async lock(key: string, until: number, failures: number): Promise<void> {
    const when = new Date(until);
    await this.em().nativeUpdate(
      LoginFailure,
      { key: storedKey(key), $or: [{ lockedUntil: null }, { lockedUntil: { $lt: when } }] },
      { lockedUntil: when, failures },
    );
  }

  async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.em().nativeDelete(LoginFailure, { key: { $in: keys.map(storedKey) } });
  }

  async removeExpired(at: number, forgetBefore: number): Promise<number> {
    return this.em().nativeDelete(LoginFailure, expired(at, forgetBefore));
  }

  private row(em: Em, key: string): Promise<LoginFailure | null> {
    return em.findOne(LoginFailure, { key }, { disableIdentityMap: true });
  }

  private em(): Em {
    return this.orm.em.fork() as Em;
  }
}
