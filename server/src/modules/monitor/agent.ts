import type { Logger } from 'pino';
import { systemClock } from '../../adapters/clock.js';
import type { ProcessRunner } from '../../adapters/process/process-runner.js';
import { systemTimers } from '../../adapters/timers.js';
import { RemoteMaintenanceApi } from './maintenance-api.js';
import { localMaintenanceDisk } from './maintenance-disk.js';
import { MaintenanceWorker } from './maintenance-worker.js';
import { RemoteSink } from './remote-sink.js';
import { RepositoryMonitor } from './repository-monitor.js';

export interface AgentOptions {
  repoPath: string;
  apiUrl: string;
  token: string;
  /** JSON-lines outbox of undelivered reports. */
  outboxFile: string | null;
  logger: Logger;
  usageDelayMs?: number;
  /**
   * Runs the maintenance the hive queues for this node (borg 1 compact, check, break-lock; borg 2's stale
   * locks); without it the agent takes none (the hive fails what no agent claims within 10 min).
   */
  runner?: ProcessRunner;
  /** How often the hive is asked for maintenance (10 s). */
  maintenancePollMs?: number;
}

export interface RunningAgent {
  monitor: RepositoryMonitor;
  sink: RemoteSink;
  maintenance: MaintenanceWorker | null;
  stop(): Promise<void>;
}

const DAY = 24 * 3_600_000;
/** How often the agent calls in (the hive's BORGHIVE_AGENT_AWAY_AFTER_SECONDS is at least 120 s). */
export const HEARTBEAT_MS = 60_000;

/** `borg-hive agent`: the repository monitor on a storage node, reporting to a remote hive. */
export async function startAgent(opts: AgentOptions): Promise<RunningAgent> {
  const sink = new RemoteSink({
    apiUrl: opts.apiUrl,
    token: opts.token,
    logger: opts.logger,
    outboxFile: opts.outboxFile,
  });
  await sink.open();
  const monitor = new RepositoryMonitor({
    repoPath: opts.repoPath,
    sink,
    logger: opts.logger,
    ...(opts.usageDelayMs === undefined ? {} : { usageDelayMs: opts.usageDelayMs }),
  });
  await monitor.start();
  const daily = setInterval(() => {
    monitor.measureAll().then(
      (result) => opts.logger.info(result, 'daily usage measured'),
      (err: unknown) => opts.logger.error({ err }, 'daily usage failed'),
    );
  }, DAY);
  daily.unref();
  void sink.heartbeat();
  const heartbeat = setInterval(() => void sink.heartbeat(), HEARTBEAT_MS);
  heartbeat.unref();
  const maintenance =
    opts.runner === undefined
      ? null
      : new MaintenanceWorker(
          {
            repoPath: opts.repoPath,
            logger: opts.logger,
            ...(opts.maintenancePollMs === undefined ? {} : { pollMs: opts.maintenancePollMs }),
          },
          {
            api: new RemoteMaintenanceApi(opts.apiUrl, opts.token),
            runner: opts.runner,
            disk: localMaintenanceDisk,
            clock: systemClock,
            timers: systemTimers,
            uid: process.getuid?.() ?? -1,
          },
        );
  maintenance?.start();
  opts.logger.info({ repoPath: opts.repoPath, hive: opts.apiUrl }, 'agent watching');
  return {
    monitor,
    sink,
    maintenance,
    stop: async () => {
      clearInterval(daily);
      clearInterval(heartbeat);
      await maintenance?.stop();
      await monitor.stop();
      // what the hive does not take within 2 s stays in the outbox file for the next run
      await sink.drained(2000);
      sink.stop();
    },
  };
}
