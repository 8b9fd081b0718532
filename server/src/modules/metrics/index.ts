/** The metrics module's public face: GET /metrics (Prometheus) and its request timer. */
export {
  HiveMetrics,
  METRICS_CACHE_MS,
  METRICS_RECONCILE_MS,
  type HiveProbes,
  type MetricsAnswer,
} from './hive-metrics.js';
export { metricsRouter, mayScrape } from './metrics.router.js';
export { timeRequests, routeOf } from './request-timer.js';
export { labelValue } from './exposition.js';
export type { RepositoryMetricRow } from './metrics-query.js';
