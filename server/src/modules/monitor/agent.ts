import type { Logger } from 'pino';
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
}

export interface RunningAgent {
  monitor: RepositoryMonitor;
  sink: RemoteSink;
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
  opts.logger.info({ repoPath: opts.repoPath, hive: opts.apiUrl }, 'agent watching');
  return {
    monitor,
    sink,
    stop: async () => {
      clearInterval(daily);
      clearInterval(heartbeat);
      await monitor.stop();
      // what the hive does not take within 2 s stays in the outbox file for the next run
      await sink.drained(2000);
      sink.stop();
    },
  };
}
