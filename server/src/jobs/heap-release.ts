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
