import type { EventSink, KnownRepository, ReportResult, WatchReport } from '../../modules/monitor/index.js';

/**
 * An EventSink that keeps what it is told: `known` is what the hive's database believes, `reports`
 * every report in order. `failNext` makes the next reportEvents fail (the database is down).
 */
export class RecordingSink implements EventSink {
  known: KnownRepository[] = [];
  readonly reports: WatchReport[] = [];
  /** how many reports each reportEvents call carried (failed calls included) */
  readonly batches: number[] = [];
  knownCalls = 0;
  failNext = 0;

  reportEvents(batch: WatchReport[]): Promise<ReportResult> {
    this.batches.push(batch.length);
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error('database unavailable'));
    }
    this.reports.push(...batch);
    return Promise.resolve({ recorded: batch.length, duplicates: 0, unknown: 0 });
  }

  knownRepositories(): Promise<KnownRepository[]> {
    this.knownCalls++;
    return Promise.resolve(this.known.map((k) => ({ ...k, state: { ...k.state } })));
  }
}
