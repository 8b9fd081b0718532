import { TooManyRequestsError } from './errors.js';
import { costError } from './limits.js';

/** Per caller, how many heavy operations run at once (a counting semaphore that never waits). */
export class HeavySlots {
  readonly #inUse = new Map<string, number>();

  constructor(readonly perCaller: number) {}

  /** A release function, or null when `caller` holds every slot already. */
  tryAcquire(caller: string): (() => void) | null {
    const used = this.#inUse.get(caller) ?? 0;
    if (used >= this.perCaller) return null;
    this.#inUse.set(caller, used + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.#inUse.get(caller) ?? 1) - 1;
      if (now > 0) this.#inUse.set(caller, now);
      else this.#inUse.delete(caller);
    };
  }

  inUse(caller: string): number {
    return this.#inUse.get(caller) ?? 0;
  }
}

export interface CostLimits {
  maxQueryCost: number;
  heavyQueryCost: number;
}

/**
 * What one request has cost so far: the operation's estimate, then the real length of its root lists
 * as they resolve. Over the maximum it fails; over the heavy threshold it takes one of the caller's
 * heavy slots, held until finish().
 */
export class CostMeter {
  #total = 0;
  #release: (() => void) | null = null;
  #slots = false;

  constructor(
    private readonly limits: CostLimits,
    private readonly slots: HeavySlots,
    readonly caller: string,
  ) {}

  /**
   * From now on a heavy total takes a slot: only where finish() is sure to follow (the HTTP request
   * pipeline); an operation over WebSocket has no such end and is limited by its cost alone.
   */
  holdSlots(): void {
    this.#slots = true;
  }

  charge(units: number): void {
    this.#total += units;
    if (this.#total > this.limits.maxQueryCost) throw costError(this.#total, this.limits.maxQueryCost);
    if (!this.#slots || this.#total < this.limits.heavyQueryCost || this.#release) return;
    this.#release = this.slots.tryAcquire(this.caller);
    if (!this.#release)
      throw new TooManyRequestsError(
        `you already run ${this.slots.perCaller} heavy operations (cost ${this.limits.heavyQueryCost} or more); retry when one has finished`,
      );
  }

  get total(): number {
    return this.#total;
  }

  finish(): void {
    this.#release?.();
    this.#release = null;
  }
}
