import { simulateWrite } from '@borg-hive/server/testing';
import type { BenchRepository } from './events-hive-kit.js';

export interface SessionTally {
  started: number;
  failed: number;
  /** turns on which every repository was still busy with its previous session */
  allBusy: number;
}

/**
 * borg 1.2 write sessions (lock, segment, commit, unlock) at `perS` a second on random repositories,
 * never two at once on one repository, until `done(started)`; resolves when the last one finished.
 */
export async function writeSessions(
  repos: BenchRepository[],
  perS: number,
  done: (started: number) => boolean,
): Promise<SessionTally> {
  const tally: SessionTally = { started: 0, failed: 0, allBusy: 0 };
  const busy = new Set<number>();
  const running = new Set<Promise<void>>();
  const start = performance.now();
  for (let turn = 0; !done(tally.started); turn++) {
    const idle = repos.filter((r) => !busy.has(r.id));
    const repo = idle[Math.floor(Math.random() * idle.length)];
    if (!repo) tally.allBusy++;
    else {
      busy.add(repo.id);
      tally.started++;
      const session: Promise<void> = simulateWrite(repo.path)
        .catch(() => void tally.failed++)
        .finally(() => {
          busy.delete(repo.id);
          running.delete(session);
        });
      running.add(session);
    }
    // on schedule from the start: a late turn does not lower the rate
    const wait = start + ((turn + 1) * 1000) / perS - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  await Promise.all(running);
  return tally;
}
