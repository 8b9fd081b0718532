import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { AuthInfo } from '../auth/index.js';
import { bearerCaller, type Authenticate } from '../../http/bearer-guard.js';
import { TokenScope } from '../auth/index.js';
import type { HiveMetrics } from './hive-metrics.js';

/**
 * Who may scrape: an admin's METRICS token, or an admin signed in (session, FULL or READ_ONLY token).
 * The metrics name every repository and owner, so a token of a user who is no longer an admin stops
 * working; KEYS_READ and AGENT tokens serve storage nodes and never read metrics.
 */
export function mayScrape(auth: AuthInfo | null): boolean {
  if (!auth?.isAdmin) return false;
  return [TokenScope.METRICS, TokenScope.FULL, TokenScope.READ_ONLY].includes(auth.scope);
}

/** GET /metrics in the Prometheus text format; 401 without a valid bearer token, 403 when not allowed. */
export function metricsRouter(metrics: HiveMetrics, authenticate: Authenticate, logger: Logger): Router {
  const router = Router();
  router.get('/', async (req: Request, res: Response, next: NextFunction) => {
    try {
      const refusal = 'metrics need an admin’s METRICS token or an admin login';
      if (!(await bearerCaller(req, res, authenticate, mayScrape, refusal))) return;
      const answer = await metrics.render();
      res
        .set('Content-Type', metrics.contentType)
        .set('Cache-Control', 'no-store')
        .set('Vary', 'Accept-Encoding');
      // Prometheus asks for gzip: a tenth of the bytes to write and to read
      const zipped = req.acceptsEncodings('gzip', 'identity') === 'gzip';
      const parts = zipped ? await answer.gzip() : await answer.text();
      if (zipped) res.set('Content-Encoding', 'gzip');
      res.set('Content-Length', String(parts.reduce((n, p) => n + p.length, 0)));
      // ~700 members: one write each, sent as few packets (cork), not one copy of the whole answer
      res.cork();
      for (const part of parts.slice(0, -1)) res.write(part);
      res.end(parts.at(-1));
    } catch (err) {
      logger.error({ err }, 'metrics scrape failed');
      next(err);
    }
  });
  return router;
}
