/**
 * Slows down and then locks out repeated wrong passwords, per user name and per client address.
 * In memory: each API process keeps its own counters (documented limitation with several instances).
 */
export interface ThrottleVerdict {
  allowed: boolean;
  /** Delay to apply before answering a failed attempt, in ms. */
  delayMs: number;
  retryAfterSeconds: number;
}

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
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
  private readonly entries = new Map<string, Entry>();
  private readonly opts: LoginThrottleOptions;

  constructor(
    opts: Partial<LoginThrottleOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...defaults, ...opts };
  }

  /** Checks every key (user and address) before a password is even looked at. */
  check(keys: string[]): ThrottleVerdict {
    const t = this.now();
    let lockedUntil = 0;
    for (const key of keys) {
      const e = this.fresh(key, t);
      if (e && e.lockedUntil > t) lockedUntil = Math.max(lockedUntil, e.lockedUntil);
    }
    if (lockedUntil > 0) {
      return { allowed: false, delayMs: 0, retryAfterSeconds: Math.ceil((lockedUntil - t) / 1000) };
    }
    return { allowed: true, delayMs: 0, retryAfterSeconds: 0 };
  }

  /** Records a failure; returns how long to hold the answer back. */
  fail(keys: string[]): ThrottleVerdict {
    const t = this.now();
    let worst = 0;
    let locked = 0;
    for (const key of keys) {
      const e = this.fresh(key, t) ?? { failures: 0, lockedUntil: 0, lastFailure: t };
      e.failures += 1;
      e.lastFailure = t;
      if (e.failures >= this.opts.lockAfter) {
        e.lockedUntil = t + this.opts.lockMs;
        locked = Math.max(locked, e.lockedUntil);
      }
      this.entries.set(key, e);
      worst = Math.max(worst, e.failures);
    }
    const over = worst - this.opts.freeAttempts;
    const delayMs = over > 0 ? Math.min(this.opts.maxDelayMs, 250 * 2 ** (over - 1)) : 0;
    return {
      allowed: locked === 0,
      delayMs,
      retryAfterSeconds: locked > 0 ? Math.ceil((locked - t) / 1000) : 0,
    };
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.entries.delete(key);
  }

  private fresh(key: string, t: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.lockedUntil <= t && t - e.lastFailure > this.opts.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
