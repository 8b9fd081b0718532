import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../adapters/clock.js';
import { localTextFile } from '../../adapters/fs/text-file.js';
import { fetchJson, type PostJson } from '../../adapters/outbound/post-json.js';
import { systemTimers, type Timers } from '../../adapters/timers.js';
import type { EventSink, KnownRepository, ReportResult, WatchReport } from './event-sink.js';
import { Outbox } from './outbox.js';
import { HiveGraphql } from './hive-graphql.js';
import { RefusedReports, refusedPositions } from './refused-reports.js';

export interface RemoteSinkOptions {
  /** The hive's API, e.g. `https://hive.example/graphql` (`/graphql` is added when missing). */
  apiUrl: string;
  /** An AGENT token of an admin, bound to the location of this storage node. */
  token: string;
  logger: Logger;
  /** JSON-lines file for undelivered reports (null: memory only). */
  outboxFile: string | null;
  /** Retry back-off bounds. */
  minRetryMs?: number;
  maxRetryMs?: number;
  timeoutMs?: number;
}

/** What the sink needs of the world: the hive's API, the time and delays, and its outbox. */
export interface RemoteSinkPorts {
  post: PostJson;
  clock: Clock;
  timers: Timers;
  outbox: Outbox;
}

/** The real ports; the outbox in `outboxFile` (null: memory only). */
export function remoteSinkPorts(outboxFile: string | null): RemoteSinkPorts {
  return {
    post: fetchJson,
    clock: systemClock,
    timers: systemTimers,
    outbox: new Outbox(outboxFile === null ? null : localTextFile(outboxFile)),
  };
}

const BATCH = 500;
const REPORT = `mutation($events:[RepositoryEventInput!]!){reportRepositoryEvents(events:$events){recorded duplicates unknown}}`;
const HEARTBEAT = `mutation{agentHeartbeat}`;
const KNOWN_FIELDS = 'repoUser repoName exists initialized isOpen lastUpdatedAt lastAccessAt';
const KNOWN = `{agentRepositories{${KNOWN_FIELDS} borgVersion archiveCount keyIds}}`;
/** What a hive from before borg 2 answers (it refuses the query above as a whole). */
const KNOWN_BORG1 = `{agentRepositories{${KNOWN_FIELDS}}}`;

type Known = {
  repoUser: string;
  repoName: string;
  exists: boolean;
  initialized: boolean;
  isOpen: boolean;
  lastUpdatedAt: string | null;
  lastAccessAt: string | null;
  borgVersion?: 'BORG1' | 'BORG2' | null;
  archiveCount?: number | null;
  keyIds?: string[] | null;
};

/** A report as the hive's RepositoryEventInput takes it (the watcher's own fields, e.g. path, stay here). */
function eventInput(r: WatchReport): Record<string, unknown> {
  return {
    repoUser: r.repoUser,
    repoName: r.repoName,
    type: r.type,
    at: r.at.toISOString(),
    usageBytes: r.usageBytes ?? null,
    ...(r.archiveCount === undefined ? {} : { archiveCount: r.archiveCount }),
    ...(r.ids === undefined ? {} : { ids: r.ids }),
    ...(r.firstKey ? { firstKey: true } : {}),
  };
}

/**
 * The monitor on a storage node (`borg-hive agent`): reports go to an outbox first, then to the hive's
 * GraphQL API in order, retried with back-off until accepted (the hive deduplicates, so a batch whose
 * answer got lost may be sent again). reportEvents resolves once the batch is in the outbox.
 */
export class RemoteSink implements EventSink {
  readonly #outbox: Outbox;
  readonly #hive: HiveGraphql;
  #sending: Promise<void> | undefined;
  #stopped = false;
  /** The hive answered that it has no borg 2 fields: it is asked for borg 1's only. */
  #borg1Hive = false;
  #wake: (() => void) | undefined;
  readonly #total: ReportResult = { recorded: 0, duplicates: 0, unknown: 0 };

  constructor(
    private readonly opts: RemoteSinkOptions,
    private readonly ports: RemoteSinkPorts = remoteSinkPorts(opts.outboxFile),
  ) {
    this.#outbox = ports.outbox;
    this.#hive = new HiveGraphql(opts.apiUrl, opts.token, ports.post, opts.timeoutMs ?? 15_000);
  }

  /** Loads what a previous run left undelivered and sends it. */
  async open(): Promise<void> {
    const left = await this.#outbox.load();
    if (left > 0) this.opts.logger.info({ reports: left }, 'delivering reports left from the last run');
    await this.#send();
  }

  /** Resolves once the batch is in the outbox (file); delivery goes on in the background. */
  async reportEvents(batch: WatchReport[]): Promise<ReportResult> {
    await this.#outbox.add(batch);
    void this.#send();
    return { ...this.#total };
  }

  /** Waits until the outbox is delivered, at most `timeoutMs`; true when it is empty. */
  async drained(timeoutMs: number): Promise<boolean> {
    const now = () => this.ports.clock.now().getTime();
    const deadline = now() + timeoutMs;
    while (this.#outbox.size > 0 && now() < deadline) {
      let cancel = (): void => undefined;
      await Promise.race([
        this.#send(),
        new Promise<void>((r) => (cancel = this.ports.timers.after(Math.max(0, deadline - now()), r))),
      ]);
      cancel();
    }
    return this.#outbox.size === 0;
  }

  async knownRepositories(): Promise<KnownRepository[]> {
    await this.#send(); // the hive's state includes everything we saw before we ask for it
    const data = await this.#retrying(() => this.#known());
    return (data?.agentRepositories ?? []).map((k) => ({
      repoUser: k.repoUser,
      repoName: k.repoName,
      state: {
        exists: k.exists,
        initialized: k.initialized,
        isOpen: k.isOpen,
        lastUpdatedAt: k.lastUpdatedAt === null ? null : new Date(k.lastUpdatedAt),
        lastAccessAt: k.lastAccessAt === null ? null : new Date(k.lastAccessAt),
      },
      // borg 2: watched by the borg 2 watcher, from the archive count and key objects the hive stored
      ...(k.borgVersion === 'BORG2'
        ? { borgVersion: 'BORG2' as const, archiveCount: k.archiveCount ?? null, keyIds: k.keyIds ?? null }
        : {}),
    }));
  }

  /** The known repositories; a hive from before borg 2 (no such fields) is asked the borg 1 fields. */
  async #known(): Promise<{ agentRepositories: Known[] }> {
    if (!this.#borg1Hive) {
      try {
        return await this.#post<{ agentRepositories: Known[] }>(KNOWN, {});
      } catch (err) {
        if (!/Cannot query field "(borgVersion|archiveCount|keyIds)"/.test((err as Error).message)) throw err;
        this.#borg1Hive = true;
        this.opts.logger.warn('the hive knows no borg 2 repositories (an older version): borg 1 only');
      }
    }
    return this.#post<{ agentRepositories: Known[] }>(KNOWN_BORG1, {});
  }

  /**
   * Tells the hive this agent is alive (the hive shows the location's repositories as UNKNOWN after
   * BORGHIVE_AGENT_AWAY_AFTER_SECONDS of silence); one try, a failure is only logged.
   */
  async heartbeat(): Promise<boolean> {
    try {
      await this.#post<{ agentHeartbeat: boolean }>(HEARTBEAT, {});
      return true;
    } catch (err) {
      this.opts.logger.warn({ err }, 'heartbeat to the hive failed');
      return false;
    }
  }

  /** Totals of what the hive answered (for logs and tests). */
  get delivered(): ReportResult {
    return { ...this.#total };
  }

  get pending(): number {
    return this.#outbox.size;
  }

  stop(): void {
    this.#stopped = true;
    this.#wake?.();
  }

  #send(): Promise<void> {
    this.#sending ??= this.#drain()
      .catch((err: unknown) => this.opts.logger.error({ err }, 'agent outbox failed'))
      .finally(() => (this.#sending = undefined));
    return this.#sending;
  }

  async #drain(): Promise<void> {
    while (this.#outbox.size > 0 && !this.#stopped) {
      const batch = this.#outbox.peek(BATCH);
      const events = batch.map(eventInput);
      let data: { reportRepositoryEvents: ReportResult } | undefined;
      try {
        data = await this.#retrying(() =>
          this.#post<{ reportRepositoryEvents: ReportResult }>(REPORT, { events }),
        );
      } catch (err) {
        if (!(err instanceof RefusedReports)) throw err;
        // sending them again would be refused again and hold up everything behind them
        const refused = batch.filter((_, i) => err.positions.has(i));
        this.opts.logger.error({ refused, reason: err.message }, 'the hive refused reports: dropped');
        await this.#outbox.drop(err.positions);
        continue;
      }
      if (!data) return;
      const r = data.reportRepositoryEvents;
      this.#total.recorded += r.recorded;
      this.#total.duplicates += r.duplicates;
      this.#total.unknown += r.unknown;
      await this.#outbox.remove(batch.length);
    }
  }

  /** Calls `fn` until it succeeds; undefined once stopped. A refusal for good is not retried. */
  async #retrying<T>(fn: () => Promise<T>): Promise<T | undefined> {
    let delay = this.opts.minRetryMs ?? 250;
    let failures = 0;
    while (!this.#stopped) {
      try {
        const result = await fn();
        if (failures > 0) this.opts.logger.info({ failures }, 'hive reachable again');
        return result;
      } catch (err) {
        if (err instanceof RefusedReports) throw err;
        if (failures++ === 0) this.opts.logger.warn({ err }, 'hive unreachable; retrying');
        await new Promise<void>((resolve) => {
          const cancel = this.ports.timers.after(delay, resolve);
          this.#wake = () => {
            cancel();
            resolve();
          };
        });
        delay = Math.min(delay * 2, this.opts.maxRetryMs ?? 5000);
      }
    }
    return undefined;
  }

  async #post<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = await this.#hive.call<T>(query, variables);
    if (body.errors?.length || !body.data) {
      const message = `hive answered ${body.status}: ${body.errors?.map((e) => e.message).join('; ') ?? 'no data'}`;
      const refused = refusedPositions(body.errors ?? []);
      throw refused.size > 0 ? new RefusedReports(message, refused) : new Error(message);
    }
    return body.data;
  }
}
