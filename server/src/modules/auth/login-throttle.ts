/**
 * Slows down and then locks out repeated wrong passwords, per user name and per client address. The
 * counters live in a LoginFailureStore (the database: every API instance on it counts the same failures);
 * this class is the policy.
 */
export interface ThrottleVerdict {
  allowed: boolean;
  /** Delay to apply before answering a failed attempt, in ms. */
  delayMs: number;
  retryAfterSeconds: number;
}

/** The failures of one key; times in ms since the epoch, lockedUntil 0 when never locked. */
export interface FailureRecord {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/**
 * Where the counters are kept. A record is expired at `at` when it is not locked then and has had no
 * failure since `forgetBefore`; an expired record counts as none.
 */
export interface LoginFailureStore {
  /** The records of those keys that have one (expired ones too). */
  read(keys: string[]): Promise<Map<string, FailureRecord>>;
  /** Counts one failure of the key, atomically (concurrent calls all count); an expired record starts over. */
  addFailure(key: string, at: number, forgetBefore: number): Promise<FailureRecord>;
  /** Locks the key until then, unless it is locked longer already. */
  lock(key: string, until: number): Promise<void>;
  remove(keys: string[]): Promise<void>;
  /** Deletes the expired records; returns how many. */
  removeExpired(at: number, forgetBefore: number): Promise<number>;
}

export interface LoginThrottleOptions {
  freeAttempts: number;
  lockAfter: number;
  lockMs: number;
  forgetAfterMs: number;
  maxDelayMs: number;
}

const defaults: LoginThrottleOptions = {
  freeAttempts: 3,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
  maxDelayMs: 2_000,
};

export class LoginThrottle {
  private readonly opts: LoginThrottleOptions;

  constructor(
    private readonly store: LoginFailureStore,
    private readonly now: () => number = Date.now,
    opts: Partial<LoginThrottleOptions> = {},
  ) {
    this.opts = { ...defaults, ...opts };
  }

  /** Checks every key (user and address) before a password is even looked at. */
  async check(keys: string[]): Promise<ThrottleVerdict> {
    const t = this.now();
    let lockedUntil = 0;
    for (const r of (await this.store.read(keys)).values()) {
      if (r.lockedUntil > t) lockedUntil = Math.max(lockedUntil, r.lockedUntil);
    }
    if (lockedUntil > 0) {
      return { allowed: false, delayMs: 0, retryAfterSeconds: Math.ceil((lockedUntil - t) / 1000) };
    }
    return { allowed: true, delayMs: 0, retryAfterSeconds: 0 };
  }

  /** Records a failure; returns how long to hold the answer back. */
  async fail(keys: string[]): Promise<ThrottleVerdict> {
    const t = this.now();
    let worst = 0;
    let locked = 0;
    for (const key of keys) {
      const r = await this.store.addFailure(key, t, t - this.opts.forgetAfterMs);
      if (r.failures >= this.opts.lockAfter) {
        await this.store.lock(key, t + this.opts.lockMs);
        locked = Math.max(locked, t + this.opts.lockMs);
      }
      worst = Math.max(worst, r.failures);
    }
    const over = worst - this.opts.freeAttempts;
    const delayMs = over > 0 ? Math.min(this.opts.maxDelayMs, 250 * 2 ** (over - 1)) : 0;
    return {
      allowed: locked === 0,
      delayMs,
      retryAfterSeconds: locked > 0 ? Math.ceil((locked - t) / 1000) : 0,
    };
  }

  succeed(keys: string[]): Promise<void> {
    return this.store.remove(keys);
  }

  /** Deletes what no longer counts (the hourly job); returns how many records went. */
  forgetExpired(): Promise<number> {
    const t = this.now();
    return this.store.removeExpired(t, t - this.opts.forgetAfterMs);
  }
}
