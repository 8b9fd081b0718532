/**
 * An async iterator whose `next` is given and whose `return()` ends `source` at once. Not an async
 * generator: a generator's return() would wait until the pending next() (the next live message) came.
 */
export function endingIterator<T>(
  source: AsyncIterator<unknown>,
  next: () => Promise<IteratorResult<T, undefined>>,
): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next,
    return: async () => {
      await source.return?.();
      return { value: undefined, done: true };
    },
    throw: async (err: unknown) => {
      await source.return?.();
      throw err;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
