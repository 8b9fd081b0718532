import type { Em, Orm } from '../../db/orm.js';
import type { EventSink, KnownRepository, ReportResult, WatchReport } from './event-sink.js';
import { knownRepositories } from './known-repositories.js';
import type { ReportIngest } from './report-ingest.js';

/** The monitor inside the hive process: reports go straight to the services, one EntityManager per batch. */
export class InProcessSink implements EventSink {
  constructor(
    private readonly orm: Orm,
    private readonly ingest: ReportIngest,
  ) {}

  reportEvents(batch: WatchReport[]): Promise<ReportResult> {
    return this.ingest.ingest(this.orm.em.fork() as Em, batch);
  }

  knownRepositories(): Promise<KnownRepository[]> {
    return knownRepositories(this.orm.em.fork() as Em);
  }
}
