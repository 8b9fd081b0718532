/** The monitor module's public face: what other modules may import (they never reach past it). */
export { startAgent } from './agent.js';
export { InProcessSink } from './in-process-sink.js';
export { ReportIngest } from './report-ingest.js';
export { RepositoryMonitor } from './repository-monitor.js';
