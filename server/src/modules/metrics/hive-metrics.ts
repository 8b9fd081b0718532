import { promisify } from 'node:util';
import { gzip as gzipCallback, constants as zlib } from 'node:zlib';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../../adapters/clock.js';
import type { Em, Orm } from '../../db/orm.js';
import { HealthState, stateOfRank } from '../repository/index.js';
import { TextBuffer, writeRepositoryExposition } from './exposition.js';
import { readDeliveryRows, readRepositoryRows, type DeliveryMetricRow } from './metrics-query.js';
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

/**
 * One computed answer as parts to write one after the other: the repository series (kept while the data
 * is unchanged) and the hive series. gzip: each part a gzip member, their concatenation one valid gzip
 * stream (RFC 1952 allows several members; Go's reader, hence Prometheus, reads them all).
 */
export interface MetricsAnswer {
  parts: Buffer[];
  gzip(): Promise<Buffer[]>;
}

interface RepositoryPart {
  /** data_versions when the rows were read */
  version: string;
  body: Buffer;
  gzip(): Promise<Buffer>;
}

function lazyGzip(body: Buffer): () => Promise<Buffer> {
  // compressed off the event loop (zlib's thread pool), once, only when a client asks for gzip
  let zipped: Promise<Buffer> | null = null;
  return () => (zipped ??= gzip(body, { level: zlib.Z_BEST_SPEED }));
}

/** How long one scrape's answer is reused: Prometheus' every-15-s scrape never queries twice at once. */
export const METRICS_CACHE_MS = 5_000;

/**
 * The hive's /metrics: repository series from one query (written as text, see exposition.ts), hive
 * gauges and counters, request durations and process metrics through prom-client on a private registry
 * (the global one would mix in every other hive a test process runs). The answer is cached for
 * METRICS_CACHE_MS; concurrent scrapes share one computation.
 */
export class HiveMetrics {
  readonly registry = new Registry();
  readonly requestDuration: Histogram<'route' | 'status'>;
  #probes: HiveProbes = NO_PROBES;
  #cached: { answer: MetricsAnswer; until: number } | null = null;
  #pending: Promise<MetricsAnswer> | null = null;
  #repositories: { total: number; byState: Map<HealthState, number> } = { total: 0, byState: new Map() };
  #deliveries: DeliveryMetricRow[] = [];
  #repositoryPart: RepositoryPart | null = null;

  constructor(
    private readonly orm: Orm,
    private readonly clock: Clock,
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
    // read before the rows: a change that lands in between makes the next scrape read them again
    const version = await readDataVersion(em);
    this.#deliveries = await readDeliveryRows(em);
    const part =
      this.#repositoryPart?.version === version
        ? this.#repositoryPart
        : await this.#readRepositories(em, version);
    const hive = Buffer.from(await this.registry.metrics());
    const hiveGzip = lazyGzip(hive);
    const answer: MetricsAnswer = {
      parts: [part.body, hive],
      gzip: async () => [await part.gzip(), await hiveGzip()],
    };
    // the clock after the work: a slow query must not leave an answer that is stale on arrival
    this.#cached = { answer, until: this.clock.now().getTime() + METRICS_CACHE_MS };
    return answer;
  }

  /**
   * The repository series, from one query, kept until data_versions moves (any write to the tables of
   * the read model): a hive with nothing new answers without reading 100,000 rows again.
   */
  async #readRepositories(em: Em, version: string): Promise<RepositoryPart> {
    const rows = await readRepositoryRows(em);
    const byState = new Map<HealthState, number>(Object.values(HealthState).map((s) => [s, 0]));
    for (const r of rows) {
      const state = stateOfRank(r.healthRank);
      byState.set(state, (byState.get(state) ?? 0) + 1);
    }
    this.#repositories = { total: rows.length, byState };
    const out = new TextBuffer();
    // each family is compressed (zlib's thread pool) while the next one is written; the members
    // concatenated are one gzip stream. Made whether or not a client asks: Prometheus always does.
    const members: Promise<Buffer>[] = [];
    writeRepositoryExposition(rows, out, (family) =>
      members.push(gzip(family, { level: zlib.Z_BEST_SPEED })),
    );
    const zipped = Promise.all(members).then((parts) => Buffer.concat(parts));
    zipped.catch(() => undefined); // awaited by the first gzip scrape; never an unhandled rejection
    // an exact-size copy: the buffer grew by doubling, and this one is kept between scrapes
    const body = Buffer.from(out.bytes());
    this.#repositoryPart = { version, body, gzip: () => zipped };
    return this.#repositoryPart;
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
        this.set(self.#repositories.total);
      },
    });
    new Gauge({
      name: 'borghive_repositories_by_health',
      help: 'Repositories per health state',
      labelNames: ['state'],
      registers,
      collect() {
        for (const [state, n] of self.#repositories.byState) this.set({ state }, n);
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
