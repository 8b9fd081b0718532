interface Bucket {
  tokens: number;
  at: number;
}

export interface RateLimiterOptions {
  /** Most keys kept; the least recently used one is forgotten first (it starts again with a full bucket). */
  capacity?: number;
  now?: () => number;
}

/**
 * A token bucket per key (here: per ping uuid) in a bounded LRU map, in memory: `limit` hits at once,
 * refilled at `limit` per `windowMs`; O(1) per hit and never more than `capacity` keys. Each server
 * process counts on its own, so N processes behind a balancer allow up to N times the limit: enough
 * to stop a runaway client.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #capacity: number;
  readonly #now: () => number;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    options: RateLimiterOptions = {},
  ) {
    this.#capacity = options.capacity ?? 10_000;
    this.#now = options.now ?? Date.now;
    if (!(this.#capacity >= 1 && limit >= 1 && windowMs > 0))
      throw new RangeError('rate limiter: bad bounds');
  }

  /** Counts one hit; false when the key has used up its bucket. */
  hit(key: string): boolean {
    const now = this.#now();
    const bucket = this.#take(key, now);
    const refilled = ((now - bucket.at) * this.limit) / this.windowMs;
    bucket.tokens = Math.min(this.limit, bucket.tokens + Math.max(0, refilled));
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Keys held now (at most the capacity). */
  get size(): number {
    return this.#buckets.size;
  }

  /** The key's bucket, moved to the most recently used end (a Map iterates in insertion order). */
  #take(key: string, now: number): Bucket {
    const found = this.#buckets.get(key);
    if (found) {
      this.#buckets.delete(key);
      this.#buckets.set(key, found);
      return found;
    }
    if (this.#buckets.size >= this.#capacity) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
    const bucket = { tokens: this.limit, at: now };
    this.#buckets.set(key, bucket);
    return bucket;
  }
}
