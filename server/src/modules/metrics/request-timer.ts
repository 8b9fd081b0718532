import type { NextFunction, Request, Response } from 'express';
import type { HiveMetrics } from './hive-metrics.js';

const ROUTES = ['/graphql', '/ping', '/metrics'];

/** The route label: a known prefix or `other` (never the raw path: a ping uuid per series would explode). */
export function routeOf(path: string): string {
  return ROUTES.find((r) => path === r || path.startsWith(`${r}/`)) ?? 'other';
}

/** Express middleware observing every request's duration when its response is finished. */
export function timeRequests(metrics: HiveMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = metrics.requestDuration.startTimer({ route: routeOf(req.path) });
    res.once('finish', () => end({ status: String(res.statusCode) }));
    next();
  };
}
