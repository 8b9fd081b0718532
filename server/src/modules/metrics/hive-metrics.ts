import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback, constants as zlib } from 'node:zlib';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../adapters/clock.js';
import type { Em, Orm } from '../../db/orm.js';
import type { EventBus, TopicName } from '../../graphql/event-bus.js';
import {
  readDeliveryRows,
  readRepositoryRows,
  readRunRows,
  type DeliveryMetricRow,
  type RunMetricRow,
} from './metrics-query.js';
import { RepositorySeries } from './repository-series.js';
import { BackupRunState } from '../backup/index.js';
import { readDataVersion } from '../../graphql/response-cache.js';

/** Live figures of this process, read at scrape time (set once the parts that own them are running). */
export interface HiveProbes {
  subscriptions(): number;
  sockets(): number;
  /** events recorded by this process since it started (a counter) */
  eventsRecorded(): number;
  /** times the repository watcher failed and the monitor compared everything with the disk again */
  watcherRestarts(): number;
}

const NO_PROBES: HiveProbes = {
  subscriptions: () => 0,
  sockets: () => 0,
  eventsRecorded: () => 0,
  watcherRestarts: () => 0,
};

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/**
 * One computed answer: the repository series and the hive series (prom-client), as gzip members (their
 * concatenation one valid gzip stream) or as plain text for a client that does not take gzip.
 */
export interface MetricsAnswer {
  gzip(): Promise<Buffer[]>;
  text(): Promise<Buffer[]>;
}

/** How long one scrape's answer is reused: Prometheus' every-15-s scrape never queries twice at once. */
export const METRICS_CACHE_MS = 5_000;

/**
 * How often, at most, every repository row is read again and compared with what the series hold (in the
 * background, not on a scrape's path), when data_versions moved: the safety net for a write that
 * announced nothing (a direct SQL update, a message lost with a Redis connection).
 */
export const METRICS_RECONCILE_MS = 300_000;

/**
 * How old the run counts (`borghive_backup_runs`) may get between run messages: their grouped read costs
 * about half a second at 200,000 runs (bench/metrics), too much for every scrape.
 */
export const RUN_COUNTS_MAX_AGE_MS = 60_000;

/**
 * Topics that name a repository whose row may have changed (all published after the write's commit);
 * backupRunChanged only once the run settled (its progress messages change nothing the metrics show).
 */
const CHANGE_TOPICS = [
  'repositoryChanged',
  'repositoryEvent',
  'repositoryRemoved',
  'backupRunChanged',
] as const satisfies TopicName[];

const UNSETTLED: readonly unknown[] = [BackupRunState.QUEUED, BackupRunState.RUNNING];

/** What the repository series cost so far (tests and the bench read it). */
export interface SeriesReads {
  /** full reads of every repository row */
  full: number;
  /** rows read by id (announced changes) */
  rows: number;
}

/**
 * The hive's /metrics: repository series kept between scrapes (see RepositorySeries) and brought up to
 * date from the rows of the repositories announced as changed on the event bus since the last scrape
 * (read by id, a few rows instead of 100,000), plus a full comparison every METRICS_RECONCILE_MS; hive
 * gauges and counters, request durations and process metrics through prom-client on a private registry
 * (the global one would mix in every other hive a test process runs). The answer is cached for
 * METRICS_CACHE_MS; concurrent scrapes share one computation.
 */
export class HiveMetrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'route' | 'status'>;
  readonly reads: SeriesReads = { full: 0, rows: 0 };
  #probes: HiveProbes = NO_PROBES;
  #cached: { answer: MetricsAnswer; until: number } | null = null;
  #pending: Promise<MetricsAnswer> | null = null;
  #deliveries: DeliveryMetricRow[] = [];
  #runs: RunMetricRow[] = [];
  /**
   * When the run counts were last read (ms; -Infinity: never). They are read again after a run message
   * (any state: a run that starts moves a count too), without a bus on every scrape, and at least every
   * RUN_COUNTS_MAX_AGE_MS (a queued run is not announced; runs of another hive instance on the database).
   */
  #runsReadAt = Number.NEGATIVE_INFINITY;
  readonly #series = new RepositorySeries();
  /** null until the first full read */
  #full: { version: string; at: number } | null = null;
  #reconciling: Promise<void> | null = null;
  /** announced since the last read: id -> sequence number of the latest announcement */
  #dirty = new Map<number, number>();
  /** every announcement since the last full read (the full read leaves these to the dirty reads) */
  #marks = new Map<number, number>();
  #seq = 0;
  #watching: (() => void) | null = null;

  constructor(
    private readonly orm: Orm,
    private readonly clock: Clock,
    private readonly logger: Logger | null = null,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.requestDuration = new Histogram({
      name: 'borghive_http_request_duration_seconds',
      help: 'HTTP requests by route (/graphql, /ping, /metrics, other) and status code',
      labelNames: ['route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.#hiveGauges();
  }

  /** Attaches the live parts (WebSocket server, live feed, monitor) once they exist. */
  probe(probes: HiveProbes): void {
    this.#probes = probes;
  }

  /**
   * Follows the announcements of changed repositories on `bus` (every writer publishes after its
   * commit), so a scrape reads only those rows. Without it every change of data_versions reads all.
   */
  watch(bus: EventBus): void {
    const iterators = CHANGE_TOPICS.map((topic) => bus.subscribe(topic));
    for (const iterator of iterators)
      void (async () => {
        for await (const message of iterator) {
          if ('run' in message) this.#runsReadAt = Number.NEGATIVE_INFINITY;
          if ('run' in message && UNSETTLED.includes(message.run['state'])) continue;
          const seq = ++this.#seq;
          this.#dirty.set(message.repositoryId, seq);
          if (this.#full) this.#marks.set(message.repositoryId, seq);
        }
      })().catch((err: unknown) => this.logger?.error({ err }, 'metrics stopped following changes'));
    this.#watching = () => iterators.forEach((i) => void i.return?.());
  }

  /** Stops following the bus and waits for a running full comparison. */
  async close(): Promise<void> {
    this.#watching?.();
    this.#watching = null;
    await this.idle();
  }

  /** Resolves when no background full comparison runs (tests). */
  async idle(): Promise<void> {
    await this.#reconciling;
  }

  /** The answer of a scrape, from the cache while it is fresh. */
  async render(): Promise<MetricsAnswer> {
    const now = this.clock.now().getTime();
    if (this.#cached && now < this.#cached.until) return this.#cached.answer;
    this.#pending ??= this.#compute().finally(() => (this.#pending = null));
    return this.#pending;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async #compute(): Promise<MetricsAnswer> {
    const em = this.orm.em.fork() as Em;
    // read before the rows: a change that lands in between makes a later full read look again
    const version = await readDataVersion(em);
    this.#deliveries = await readDeliveryRows(em);
    const startedAt = this.clock.now().getTime();
    if (this.#watching === null || startedAt - this.#runsReadAt >= RUN_COUNTS_MAX_AGE_MS) {
      // marked before the read: a run message that lands during it marks the counts stale again
      this.#runsReadAt = startedAt;
      this.#runs = await readRunRows(em);
    }
    if (!this.#full || (this.#watching === null && version !== this.#full.version))
      await this.#readAll(em, version);
    else if (this.#dirty.size > 0) await this.#readDirty(em);
    const repositories = await this.#series.gzip();
    const hive = Buffer.from(await this.registry.metrics());
    let hiveGzip: Promise<Buffer> | null = null;
    const answer: MetricsAnswer = {
      gzip: async () => [...repositories, await (hiveGzip ??= gzip(hive, { level: zlib.Z_BEST_SPEED }))],
      // plain text for the rare client without gzip: the members unpacked (one stream)
      text: async () => [await gunzip(Buffer.concat(repositories)), hive],
    };
    // the clock after the work: a slow query must not leave an answer that is stale on arrival
    const now = this.clock.now().getTime();
    this.#cached = { answer, until: now + METRICS_CACHE_MS };
    if (
      this.#watching !== null &&
      this.#reconciling === null &&
      version !== this.#full?.version &&
      now - (this.#full?.at ?? 0) >= METRICS_RECONCILE_MS
    )
      this.#reconciling = this.#readAll(this.orm.em.fork() as Em, version)
        .catch((err: unknown) => this.logger?.error({ err }, 'metrics: reading every repository failed'))
        .finally(() => (this.#reconciling = null));
    return answer;
  }

  /** The rows announced as changed: read by id, put in (or removed: no row). */
  async #readDirty(em: Em): Promise<void> {
    const ids = [...this.#dirty.keys()];
    this.#dirty.clear();
    const rows = await readRepositoryRows(em, ids);
    this.reads.rows += ids.length;
    const found = new Set<number>();
    for (const row of rows) {
      found.add(row.id);
      this.#series.put(row);
    }
    for (const id of ids) if (!found.has(id)) this.#series.remove(id);
  }

  /**
   * Every row, compared with the series: only what differs is written again. A repository announced
   * after this read began is left to the dirty reads (this read may hold its older row).
   */
  async #readAll(em: Em, version: string): Promise<void> {
    const startedAt = this.#seq;
    const rows = await readRepositoryRows(em);
    this.reads.full += 1;
    const later = (id: number) => (this.#marks.get(id) ?? this.#dirty.get(id) ?? 0) > startedAt;
    const found = new Set<number>();
    for (const row of rows) {
      found.add(row.id);
      if (!later(row.id)) this.#series.put(row);
    }
    for (const id of [...this.#series.ids()]) if (!found.has(id) && !later(id)) this.#series.remove(id);
    for (const [id, seq] of this.#dirty) if (seq <= startedAt) this.#dirty.delete(id);
    this.#marks = new Map([...this.#marks].filter(([, seq]) => seq > startedAt));
    this.#full = { version, at: this.clock.now().getTime() };
  }

  #hiveGauges(): void {
    const registers = [this.registry];
    // prom-client calls collect() on every scrape; `self` reads this instance's figures
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    new Gauge({
      name: 'borghive_repositories',
      help: 'Repositories the hive manages',
      registers,
      collect() {
        this.set(self.#series.size);
      },
    });
    new Gauge({
      name: 'borghive_repositories_by_health',
      help: 'Repositories per health state',
      labelNames: ['state'],
      registers,
      collect() {
        for (const [state, n] of self.#series.byState()) this.set({ state }, n);
      },
    });
    new Gauge({
      name: 'borghive_subscriptions',
      help: 'Live GraphQL subscriptions in this process',
      registers,
      collect() {
        this.set(self.#probes.subscriptions());
      },
    });
    new Gauge({
      name: 'borghive_websockets',
      help: 'Open WebSocket connections in this process',
      registers,
      collect() {
        this.set(self.#probes.sockets());
      },
    });
    new Counter({
      name: 'borghive_events_recorded_total',
      help: 'Repository events this process recorded since it started',
      registers,
      collect() {
        this.reset();
        this.inc(self.#probes.eventsRecorded());
      },
    });
    new Counter({
      name: 'borghive_watcher_restarts_total',
      help: 'Times the repository watcher failed and every repository was compared with the disk again',
      registers,
      collect() {
        this.reset();
        this.inc(self.#probes.watcherRestarts());
      },
    });
    new Gauge({
      name: 'borghive_backup_runs',
      help: 'Backup runs the hive started (pull jobs and maintenance) per kind and state, history included',
      labelNames: ['kind', 'state'],
      registers,
      collect() {
        this.reset();
        for (const r of self.#runs) this.set({ kind: r.kind, state: r.state }, r.count);
      },
    });
    const deliveries = (state: string, help: string) =>
      new Gauge({
        name: `borghive_notification_deliveries_${state.toLowerCase()}`,
        help,
        registers,
        collect() {
          this.set(self.#deliveries.filter((d) => d.state === state).reduce((n, d) => n + d.count, 0));
        },
      });
    deliveries('PENDING', 'Alert messages waiting in the outbox for their (next) attempt');
    deliveries('FAILED', 'Alert messages given up (a day of retries, invalid settings, a disabled channel)');
    deliveries('SENT', 'Alert messages the providers accepted (kept in the outbox)');
    new Gauge({
      name: 'borghive_notification_channel_deliveries',
      help: 'Outbox rows per channel and state; retrying="true": pending after at least one failed attempt',
      labelNames: ['channel', 'kind', 'state', 'retrying'],
      registers,
      collect() {
        this.reset();
        for (const d of self.#deliveries) {
          const labels = { channel: d.channel, kind: d.kind, state: d.state, retrying: String(d.retrying) };
          this.inc(labels, d.count);
        }
      },
    });
  }
}
