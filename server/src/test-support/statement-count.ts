import type { TestHive } from './hive.js';

/** Counts every statement the hive sends to its database (tests and benches). */
export function countStatements(hive: TestHive): { reset(): void; readonly count: number } {
  let count = 0;
  const connection = hive.services.orm.driver.getConnection() as unknown as {
    execute: (...a: unknown[]) => Promise<unknown>;
  };
  const execute = connection.execute.bind(connection);
  connection.execute = (...a: unknown[]) => {
    count++;
    return execute(...a);
  };
  return {
    reset: () => (count = 0),
    get count() {
      return count;
    },
  };
}

/** Records the text of every statement the hive sends to its database until stop() (tests). */
export function recordStatements(hive: TestHive): { readonly texts: string[]; stop(): void } {
  const texts: string[] = [];
  const connection = hive.services.orm.driver.getConnection() as unknown as {
    execute: (...a: unknown[]) => Promise<unknown>;
  };
  const execute = connection.execute;
  connection.execute = function (this: unknown, ...a: unknown[]) {
    texts.push(typeof a[0] === 'string' ? a[0] : JSON.stringify(a[0]));
    return execute.apply(this, a);
  };
  return { texts, stop: () => void (connection.execute = execute) };
}
