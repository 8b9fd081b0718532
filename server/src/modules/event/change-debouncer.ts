/**
 * Coalesces bursts of changes per repository: a change is due `waitMs` after the last one of its burst,
 * and at the latest `maxWaitMs` after the first (a repository that never rests is still reported). Ids
 * that fall due together are handed over as one batch, so their state is read in one go.
 */
export class ChangeDebouncer {
  private readonly pending = new Map<number, { since: number; timer: NodeJS.Timeout }>();
  private due: number[] = [];

  constructor(
    private readonly waitMs: number,
    private readonly maxWaitMs: number,
    private readonly onDue: (ids: number[]) => void,
  ) {}

  touch(id: number): void {
    const now = Date.now();
    const waiting = this.pending.get(id);
    const since = waiting?.since ?? now;
    if (waiting) clearTimeout(waiting.timer);
    const delay = Math.max(0, Math.min(this.waitMs, since + this.maxWaitMs - now));
    const timer = setTimeout(() => this.fire(id), delay);
    timer.unref();
    this.pending.set(id, { since, timer });
  }

  /** Forgets a waiting change (the repository was deleted). */
  cancel(id: number): void {
    const waiting = this.pending.get(id);
    if (waiting) clearTimeout(waiting.timer);
    this.pending.delete(id);
  }

  close(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    this.due = [];
  }

  private fire(id: number): void {
    this.pending.delete(id);
    this.due.push(id);
    if (this.due.length > 1) return;
    setImmediate(() => {
      const ids = this.due;
      this.due = [];
      if (ids.length) this.onDue(ids);
    });
  }
}
