import type { Clock } from '../../adapters/clock.js';
import type { Cancel, Timers } from '../../adapters/timers.js';

interface Waiting {
  at: number;
  seq: number;
  fn: () => void;
}

/** Lets every promise chain started so far run to its next real wait (there is none with fakes). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Clock and Timers for unit tests: time stands still until `advance` moves it, running every timer
 * that falls due on the way, in order, and letting the promises they start settle in between.
 * `defer` callbacks run at the current time, after the timers due then (as setImmediate after the
 * timers phase).
 */
export class FakeTime implements Clock, Timers {
  #now: number;
  #seq = 0;
  readonly #waiting = new Map<number, Waiting>();
  #deferred: (() => void)[] = [];

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  after(ms: number, fn: () => void): Cancel {
    const seq = this.#seq++;
    this.#waiting.set(seq, { at: this.#now + Math.max(0, ms), seq, fn });
    return () => void this.#waiting.delete(seq);
  }

  every(ms: number, fn: () => void): Cancel {
    let cancel: Cancel;
    const tick = (): void => {
      cancel = this.after(ms, tick);
      fn();
    };
    cancel = this.after(ms, tick);
    return () => cancel();
  }

  defer(fn: () => void): void {
    this.#deferred.push(fn);
  }

  /** Timers not yet run nor cancelled. */
  get pending(): number {
    return this.#waiting.size;
  }

  /** Moves time forward by `ms`, running what falls due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    // what is under way now (a rejected request about to set its retry timer) goes as far as it can first
    await settle();
    await this.#runDue();
    for (let next = this.#next(until); next; next = this.#next(until)) {
      this.#now = next.at;
      await this.#runDue();
    }
    this.#now = until;
  }

  #next(until: number): Waiting | undefined {
    let first: Waiting | undefined;
    for (const w of this.#waiting.values()) {
      if (w.at <= until && (!first || w.at < first.at || (w.at === first.at && w.seq < first.seq))) first = w;
    }
    return first;
  }

  async #runDue(): Promise<void> {
    for (;;) {
      const due = this.#next(this.#now);
      if (due) {
        this.#waiting.delete(due.seq);
        due.fn();
      } else if (this.#deferred.length > 0) {
        const deferred = this.#deferred;
        this.#deferred = [];
        for (const fn of deferred) fn();
      } else {
        return;
      }
      await settle();
    }
  }
}
