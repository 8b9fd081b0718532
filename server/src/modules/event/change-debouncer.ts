import { systemClock, type Clock } from '../../adapters/clock.js';
import { systemTimers, type Cancel, type Timers } from '../../adapters/timers.js';

/**
 * Coalesces bursts of changes per repository: a change is due `waitMs` after the last one of its burst,
 * and at the latest `maxWaitMs` after the first (a repository that never rests is still reported). Ids
 * that fall due together are handed over as one batch, so their state is read in one go.
 */
export class ChangeDebouncer {
  private readonly pending = new Map<number, { since: number; cancel: Cancel }>();
  private due: number[] = [];

  constructor(
    private readonly waitMs: number,
    private readonly maxWaitMs: number,
    private readonly onDue: (ids: number[]) => void,
    private readonly clock: Clock = systemClock,
    private readonly timers: Timers = systemTimers,
  ) {}

  touch(id: number): void {
    const now = this.clock.now().getTime();
    const waiting = this.pending.get(id);
    const since = waiting?.since ?? now;
    waiting?.cancel();
    const delay = Math.max(0, Math.min(this.waitMs, since + this.maxWaitMs - now));
    this.pending.set(id, { since, cancel: this.timers.after(delay, () => this.fire(id)) });
  }

  /** Forgets a waiting change (the repository was deleted). */
  cancel(id: number): void {
    this.pending.get(id)?.cancel();
    this.pending.delete(id);
  }

  close(): void {
    for (const { cancel } of this.pending.values()) cancel();
    this.pending.clear();
    this.due = [];
  }

  private fire(id: number): void {
    this.pending.delete(id);
    this.due.push(id);
    if (this.due.length > 1) return;
    this.timers.defer(() => {
      const ids = this.due;
      this.due = [];
      if (ids.length) this.onDue(ids);
    });
  }
}
