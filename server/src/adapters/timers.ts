/** Cancels what `Timers.after` scheduled (nothing once it has run). */
export type Cancel = () => void;

/**
 * Delays, behind an interface so a service's unit test moves time by hand (FakeTime in
 * test-support/fakes) instead of waiting.
 */
export interface Timers {
  /** Calls `fn` once after `ms`; never keeps the process alive. */
  after(ms: number, fn: () => void): Cancel;
  /** Calls `fn` every `ms` until cancelled; never keeps the process alive. */
  every(ms: number, fn: () => void): Cancel;
  /** Calls `fn` once the current turn of the event loop is over (setImmediate). */
  defer(fn: () => void): void;
}

export const systemTimers: Timers = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
  defer(fn) {
    setImmediate(fn);
  },
};
