import type { Em } from './orm.js';

/**
 * Runs work in a transaction bound to this very EntityManager (no fork: what the request changed before
 * is flushed in it too) and commits, flushing first; rolls back on any error. Inside a transaction
 * already, it just runs the work (the outer one commits).
 */
export async function inTransaction<T>(em: Em, work: () => Promise<T>): Promise<T> {
  if (em.isInTransaction()) return work();
  await em.begin();
  try {
    const result = await work();
    await em.commit();
    return result;
  } catch (err) {
    await em.rollback();
    throw err;
  }
}
