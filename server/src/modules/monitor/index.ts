/** The monitor module's public face: what other modules may import (they never reach past it). */
export { startAgent } from './agent.js';
export type { EventSink, KnownRepository, ReportResult, WatchReport } from './event-sink.js';
export { InProcessSink } from './in-process-sink.js';
export type { MonitorPorts, WatchSource } from './monitor-ports.js';
export { ReportIngest } from './report-ingest.js';
export { RepositoryMonitor } from './repository-monitor.js';
