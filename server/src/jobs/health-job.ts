import type { Em } from '../db/orm.js';
import { announceChanged } from '../modules/repository/index.js';
import type { Services } from '../services.js';
import type { Job } from './scheduler.js';

/**
 * How often the stored health catches up with the clock (STALE when stale_at passes, a ping /start
 * older than a day, an agent that went away): the most repositoryPage's order, filter and counts lag.
 */
export const HEALTH_JOB_MS = 60_000;

/** Recomputes the repositories whose stored health ran out (an indexed range) and tells subscribers. */
export function healthJob(services: Services): Job {
  return {
    name: 'health',
    everyMs: HEALTH_JOB_MS,
    atStart: true,
    run: async () => {
      const em = services.orm.em.fork() as Em;
      const changed = await services.health.catchUp(em);
      await announceChanged(em, services.bus, changed);
      return { changed: changed.length };
    },
  };
}
