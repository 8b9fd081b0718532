import type { FailureRecord, LoginFailureStore, Reservation } from '../../modules/auth/index.js';

/**
 * The LoginFailureStore contract in memory, for the throttle policy alone (the database store is
 * tested in login-throttle.db.test.ts).
 */
export class MemoryFailureStore implements LoginFailureStore {
  readonly records = new Map<string, FailureRecord>();

  read(keys: string[]): Promise<Map<string, FailureRecord>> {
    const found = keys.flatMap((k) => {
      const r = this.records.get(k);
      return r ? [[k, { ...r }] as const] : [];
    });
    return Promise.resolve(new Map(found));
  }

  reserve(key: string, limit: number | null, at: number, forgetBefore: number): Promise<Reservation> {
    const old = this.records.get(key);
    const r = old && !MemoryFailureStore.expired(old, at, forgetBefore) ? old : undefined;
    if (r && (r.lockedUntil > at || (limit !== null && r.failures >= limit))) {
      return Promise.resolve({ granted: false, record: { ...r } });
    }
    const next = r
      ? { ...r, failures: r.failures + 1, lastFailure: at }
      : { failures: 1, lockedUntil: 0, lastFailure: at };
    this.records.set(key, next);
    return Promise.resolve({ granted: true, record: { ...next } });
  }

  release(key: string): Promise<void> {
    const r = this.records.get(key);
    if (r && r.failures > 0) r.failures -= 1;
    return Promise.resolve();
  }

  lock(key: string, until: number, failures: number): Promise<void> {
    const r = this.records.get(key);
    if (r && r.lockedUntil < until) Object.assign(r, { lockedUntil: until, failures });
    return Promise.resolve();
  }

  remove(keys: string[]): Promise<void> {
    for (const k of keys) this.records.delete(k);
    return Promise.resolve();
  }

  removeExpired(at: number, forgetBefore: number): Promise<number> {
    const gone = [...this.records].filter(([, r]) => MemoryFailureStore.expired(r, at, forgetBefore));
    for (const [k] of gone) this.records.delete(k);
    return Promise.resolve(gone.length);
  }

  private static expired(r: FailureRecord, at: number, forgetBefore: number): boolean {
    return r.lockedUntil <= at && r.lastFailure < forgetBefore;
  }
}
