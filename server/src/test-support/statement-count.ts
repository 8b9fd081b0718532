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
