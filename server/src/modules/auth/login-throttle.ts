/**
 * Slows down and then locks out repeated wrong passwords. Every attempt is counted *before* its password
 * is checked (a reservation, atomic in a LoginFailureStore: the database, shared by every API instance),
 * so a flood of concurrent guesses gets at most `lockAfter` password checks; a success takes its counts
 * back. This class is the policy; the keys of an attempt at user `u` from address `a` are:
 *
 * - `addr:<a>`: every attempt from the address, whatever the user name; locks after `lockAfter`.
 * - `user:<u>`: every attempt at the user from anywhere; locks after `lockAfter`, but only for the
 *   addresses that tried the user already (`pair:`): ten guesses from one place do not lock the user
 *   out everywhere.
 * - `pair:<a> <u>`: the attempts at the user from the address. While `user:<u>` is locked, an address
 *   with none gets one attempt, drawn from
 * - `fresh:<u>`: the user's separate budget for such clean addresses (`freshAddressAttempts`, higher
 *   than `lockAfter`); once a distributed guesser has spent it, the user is locked for everyone too.
 *
 * A lock lasts `lockMs`; after it, the key grants one more attempt, and a wrong one locks it again.
 * A key is forgotten `forgetAfterMs` after its last attempt unless it is locked.
 */
export interface FailureRecord {
  /** Attempts counted (reserved) and not taken back; times in ms since the epoch, lockedUntil 0 when never locked. */
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export interface Reservation {
  granted: boolean;
  /** After counting when granted; as found when refused. */
  record: FailureRecord;
}

/**
 * Where the counters are kept. A record is expired at `at` when it is not locked then and has had no
 * attempt since `forgetBefore`; an expired record counts as none.
 */
export interface LoginFailureStore {
  /** The records of those keys that have one (expired ones too). */
  read(keys: string[]): Promise<Map<string, FailureRecord>>;
  /**
   * Counts one attempt of the key, atomically, if the key is not locked at `at` and has fewer than
   * `limit` (null: no limit): of concurrent calls on any instance, only as many as the limit leaves are
   * granted. An expired record starts over. A refused call counts nothing.
   */
  reserve(key: string, limit: number | null, at: number, forgetBefore: number): Promise<Reservation>;
  /** Takes one counted attempt back (a refused login whose other keys were counted already). */
  release(key: string): Promise<void>;
  /** Locks the key until then, unless it is locked longer already, and sets its count to `failures`. */
  lock(key: string, until: number, failures: number): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Deletes the expired records; returns how many. */
  removeExpired(at: number, forgetBefore: number): Promise<number>;
}

export interface LoginThrottleOptions {
  freeAttempts: number;
  lockAfter: number;
  /** Attempts at a locked user from addresses that never tried it, before it is locked for them too. */
  freshAddressAttempts: number;
  lockMs: number;
  forgetAfterMs: number;
  maxDelayMs: number;
  /** Attempts per address that name no user yet (see admitAnonymous) before the address is locked. */
  anonymousLimit: number;
}

const defaults: LoginThrottleOptions = {
  freeAttempts: 3,
  lockAfter: 10,
  freshAddressAttempts: 50,
  lockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxDelayMs: 2_000,
  anonymousLimit: 30,
};

/**
 * Steps that name no user yet but cost the hive a row and a provider round trip: starting an OpenID
 * Connect sign-in (`GET /auth/oidc`) and asking for a password-less passkey challenge.
 */
export type AnonymousKind = 'oidc-start' | 'passkey-options';
/** What a refused anonymous step is told (the sign-in page shows it). */
export function anonymousRefusal(retryAfterSeconds: number): string {
  return `too many sign-in attempts from your address; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`;
}

const ANONYMOUS_KINDS: readonly AnonymousKind[] = ['oidc-start', 'passkey-options'];

interface Charge {
  key: string;
  limit: number | null;
  /** The key's count right after this attempt was counted. */
  failures: number;
  /** Locks when it reaches its limit (pair keys only remember who tried). */
  locks: boolean;
}

/** An admitted attempt: the keys it was counted on, to settle with fail() or succeed(). */
export interface LoginAttempt {
  readonly charged: readonly Charge[];
  /** Every key of the user and address, counted or not (a success clears them). */
  readonly keys: readonly string[];
}

export type Admission =
  { allowed: true; attempt: LoginAttempt } | { allowed: false; retryAfterSeconds: number };

export interface FailureVerdict {
  locked: boolean;
  /** Delay to apply before answering the failed attempt, in ms. */
  delayMs: number;
  retryAfterSeconds: number;
}

export function throttleKeys(user: string, address: string) {
  return {
    addr: `addr:${address}`,
    user: `user:${user}`,
    pair: `pair:${address} ${user}`,
    fresh: `fresh:${user}`,
  };
}

export class LoginThrottle {
  private readonly opts: LoginThrottleOptions;

  constructor(
    private readonly store: LoginFailureStore,
    private readonly now: () => number = Date.now,
    opts: Partial<LoginThrottleOptions> = {},
  ) {
    this.opts = { ...defaults, ...opts };
  }

  /**
   * Counts an attempt at `user` (lower case) from `address` before its password is looked at; a refused
   * attempt must not be checked at all.
   */
  async admit(user: string, address: string): Promise<Admission> {
    const t = this.now();
    const keys = throttleKeys(user, address);
    const charged: Charge[] = [];
    const take = async (key: string, limit: number | null, locks = true) => {
      const r = await this.store.reserve(key, limit, t, t - this.opts.forgetAfterMs);
      if (r.granted) charged.push({ key, limit, failures: r.record.failures, locks });
      return r;
    };
    const refuse = async (...records: FailureRecord[]): Promise<Admission> => {
      for (const c of charged) await this.store.release(c.key);
      return { allowed: false, retryAfterSeconds: Math.max(...records.map((r) => this.retryAfter(r, t))) };
    };
    const addr = await take(keys.addr, this.opts.lockAfter);
    if (!addr.granted) return refuse(addr.record);
    const byUser = await take(keys.user, this.opts.lockAfter);
    if (byUser.granted) {
      await take(keys.pair, null, false);
    } else {
      // the user is locked: one attempt from an address that never tried it, on a budget of its own
      const pair = await take(keys.pair, 1, false);
      if (!pair.granted) return refuse(byUser.record);
      const fresh = await take(keys.fresh, this.opts.freshAddressAttempts);
      if (!fresh.granted) return refuse(byUser.record, fresh.record);
    }
    // a sign-in from the address also gives back its budget of anonymous steps
    const anonymous = ANONYMOUS_KINDS.map((kind) => `${kind}:${address}`);
    return { allowed: true, attempt: { charged, keys: [...Object.values(keys), ...anonymous] } };
  }

  /**
   * Counts a step that names no user yet (`kind`) from `address`, like a password attempt: at most
   * `anonymousLimit` per address until an hour of quiet or a sign-in from there, then locked for `lockMs`
   * (and after the lock, one more step before it locks again).
   */
  async admitAnonymous(
    kind: AnonymousKind,
    address: string,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    const t = this.now();
    const key = `${kind}:${address}`;
    const limit = this.opts.anonymousLimit;
    const r = await this.store.reserve(key, limit, t, t - this.opts.forgetAfterMs);
    if (!r.granted) return { allowed: false, retryAfterSeconds: this.retryAfter(r.record, t) };
    if (r.record.failures >= limit) await this.store.lock(key, t + this.opts.lockMs, limit - 1);
    return { allowed: true };
  }

  /** A sign-in that the anonymous step led to succeeded: the address starts over for that kind. */
  forgetAnonymous(kind: AnonymousKind, address: string): Promise<void> {
    return this.store.remove([`${kind}:${address}`]);
  }

  /** The password was wrong: the counts stay; locks what reached its limit; says how long to hold the answer back. */
  async fail(attempt: LoginAttempt): Promise<FailureVerdict> {
    const t = this.now();
    let locked = 0;
    let worst = 0;
    for (const c of attempt.charged) {
      if (!c.locks || c.limit === null) continue;
      worst = Math.max(worst, Math.min(c.failures, this.opts.lockAfter));
      if (c.failures >= c.limit) {
        // after the lock, one more attempt; a wrong one locks again
        await this.store.lock(c.key, t + this.opts.lockMs, c.limit - 1);
        locked = t + this.opts.lockMs;
      }
    }
    const over = worst - this.opts.freeAttempts;
    const delayMs = over > 0 ? Math.min(this.opts.maxDelayMs, 250 * 2 ** (over - 1)) : 0;
    return {
      locked: locked > 0,
      delayMs,
      retryAfterSeconds: locked > 0 ? Math.ceil((locked - t) / 1000) : 0,
    };
  }

  /** The password was right: the user starts over, and so does this address. */
  succeed(attempt: LoginAttempt): Promise<void> {
    return this.store.remove([...attempt.keys]);
  }

  /**
   * Neither right nor wrong (the password was right, the second factor is still to come): the attempt's
   * counts are taken back, nothing is cleared, so asking for the code cannot wipe a run of wrong codes.
   */
  async release(attempt: LoginAttempt): Promise<void> {
    for (const c of attempt.charged) await this.store.release(c.key);
  }

  /** Deletes what no longer counts (the hourly job); returns how many records went. */
  forgetExpired(): Promise<number> {
    const t = this.now();
    return this.store.removeExpired(t, t - this.opts.forgetAfterMs);
  }

  /** A locked key says when; one at its limit is being settled by an attempt in flight, which will lock it. */
  private retryAfter(r: FailureRecord, t: number): number {
    return Math.ceil((r.lockedUntil > t ? r.lockedUntil - t : this.opts.lockMs) / 1000);
  }
}
