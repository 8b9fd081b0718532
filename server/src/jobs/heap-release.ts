export type HeapRelease = { released: boolean; ms: number; rssBeforeMB: number; rssAfterMB: number };

const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/**
 * Gives the memory freed after a burst of work back to the system. V8 keeps the pages a burst freed
 * (the watcher's initial scan of 10,000 repositories leaves ~250 MB of them) until its memory reducer
 * runs, and the reducer never runs in an idle server: it waits for a low allocation rate, which it
 * measures only at a garbage collection, and an idle server does not collect. One memory-reducing
 * full collection ("last resort": what V8 runs under memory pressure) frees them; it pauses the
 * process for about a second with 10,000 repositories watched. Needs node's --expose-gc (see the
 * start script); without it this does nothing.
 */
export function releaseFreedHeap(): HeapRelease {
  const before = process.memoryUsage.rss();
  if (typeof globalThis.gc !== 'function') {
    return { released: false, ms: 0, rssBeforeMB: mb(before), rssAfterMB: mb(before) };
  }
  const started = performance.now();
  globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  return {
    released: true,
    ms: Math.round(performance.now() - started),
    rssBeforeMB: mb(before),
    rssAfterMB: mb(process.memoryUsage.rss()),
  };
}

/**
 * The hourly release: a collection (and its pause) only when the process has grown by a quarter
 * since the last one left it, so a hive whose memory is steady never pauses for nothing.
 */
export class HeapReleaser {
  #settledRss = 0;

  /** The release at the end of start-up: always, and the size it leaves is the reference. */
  releaseNow(): HeapRelease {
    const result = releaseFreedHeap();
    this.#settledRss = process.memoryUsage.rss();
    return result;
  }

  releaseIfGrown(): HeapRelease | { released: false; rssMB: number; reason: string } {
    const rss = process.memoryUsage.rss();
    if (this.#settledRss > 0 && rss < this.#settledRss * 1.25)
      return {
        released: false,
        rssMB: mb(rss),
        reason: 'grown by less than a quarter since the last release',
      };
    return this.releaseNow();
  }
}
