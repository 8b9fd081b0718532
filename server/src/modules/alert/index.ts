/** The alert module's public face: what other modules may import (they never reach past it). */
export { AlertService } from './alert.service.js';
export { DeliveryWorker } from './delivery-worker.js';
export { planScan, scanRepositories } from './stale-scan.js';
export type { TamperNotice } from './tamper-alerts.js';
export { reportFinishedRun, type ReportedRunDeps } from './reported-run.js';
