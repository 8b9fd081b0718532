/**
 * What one WebSocket may hold unsent. A subscription's messages wait in its LiveQueue while graphql-ws
 * sends the previous one (it waits for each write to reach the kernel); a client that stops reading
 * makes them pile up, so past `limit` messages the socket is closed and every queue of it emptied.
 */
export class SendBudget {
  private queued = 0;
  private readonly queues = new Set<LiveQueue<unknown>>();
  private overflowed = false;

  constructor(
    readonly limit: number,
    private readonly onOverflow: () => void,
  ) {}

  /** A budget that never closes anything (a context without a socket). */
  static unbounded(): SendBudget {
    return new SendBudget(Infinity, () => undefined);
  }

  get closed(): boolean {
    return this.overflowed;
  }

  attach(queue: LiveQueue<unknown>): void {
    this.queues.add(queue);
  }

  detach(queue: LiveQueue<unknown>): void {
    this.queues.delete(queue);
  }

  /** Counts one more waiting message; false (and the socket closed) when there is no room. */
  take(): boolean {
    if (this.overflowed) return false;
    if (this.queued >= this.limit) {
      this.overflow();
      return false;
    }
    this.queued++;
    return true;
  }

  release(count = 1): void {
    this.queued -= count;
  }

  private overflow(): void {
    this.overflowed = true;
    for (const queue of [...this.queues]) queue.end();
    this.onOverflow();
  }
}

interface Box<T> {
  key: string | null;
  value: T;
}

/**
 * One subscription's waiting messages, as an async iterator for graphql-ws. A message with a key
 * (a repository's new state) replaces a waiting one with the same key: the latest state wins and never
 * counts against the budget (there is at most one per repository); the others each count.
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private items: Box<T>[] = [];
  private readonly keyed = new Map<string, Box<T>>();
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private done = false;

  constructor(
    private readonly budget: SendBudget,
    private readonly onEnd: () => void,
  ) {
    if (budget.closed) this.done = true;
    else budget.attach(this as LiveQueue<unknown>);
  }

  push(value: T, key: string | null = null): void {
    if (this.done) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = null;
      resolve({ value, done: false });
      return;
    }
    if (key !== null) {
      const waiting = this.keyed.get(key);
      if (waiting) {
        waiting.value = value;
        return;
      }
      const box = { key, value };
      this.keyed.set(key, box);
      this.items.push(box);
      return;
    }
    if (this.budget.take()) this.items.push({ key: null, value });
  }

  next(): Promise<IteratorResult<T>> {
    const box = this.items.shift();
    if (box) {
      if (box.key === null) this.budget.release();
      else this.keyed.delete(box.key);
      return Promise.resolve({ value: box.value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Drops what waits and finishes the iterator (unsubscribed, or the socket was too slow). */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.budget.release(this.items.filter((b) => b.key === null).length);
    this.items = [];
    this.keyed.clear();
    this.budget.detach(this as LiveQueue<unknown>);
    this.waiter?.({ value: undefined, done: true });
    this.waiter = null;
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
