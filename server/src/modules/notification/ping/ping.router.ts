import express, { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Em, Orm } from '../../../db/orm.js';
import { PING_BODY_LIMIT } from './ping-body.js';
import { parsePingPath } from './ping-path.js';
import type { PingService } from './ping.service.js';
import { RateLimiter } from './rate-limit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Read at most this much of a body (then keep PING_BODY_LIMIT of it); a larger one gets 413. */
export const PING_READ_LIMIT = 10 * 1024 * 1024;

export interface PingRouterOptions {
  perMinute?: number;
}

/**
 * Healthchecks-compatible ping endpoint, mounted at `/ping`: GET, HEAD and POST on `/<uuid>`,
 * `/<uuid>/start|fail|log|<0-255>` answer `200 OK`; unknown uuid 404, malformed URL 400, too many
 * pings for one uuid 429. The uuid's format is checked before any database query.
 */
export function pingRouter(
  orm: Orm,
  pings: PingService,
  logger: Logger,
  options: PingRouterOptions = {},
): Router {
  const limiter = new RateLimiter(options.perMinute ?? 20, 60_000);
  const router = Router();
  const answer = (res: Response, status: number, text: string) => {
    res.status(status).set('Ping-Body-Limit', String(PING_BODY_LIMIT)).type('text/plain').send(text);
  };
  router.use(express.raw({ type: () => true, limit: PING_READ_LIMIT }));
  router.use(async (req: Request, res: Response) => {
    if (!['GET', 'HEAD', 'POST'].includes(req.method)) {
      res.set('Allow', 'GET, HEAD, POST');
      return answer(res, 405, 'method not allowed');
    }
    const match = /^\/([^/]+)(\/.*)?$/.exec(req.path);
    const uuid = match?.[1] ?? '';
    const ping = parsePingPath(match?.[2] ?? '');
    if (!UUID.test(uuid) || ping === null) return answer(res, 400, 'invalid url format');
    if (!limiter.hit(uuid.toLowerCase())) return answer(res, 429, 'rate limited');
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const found = await pings.record(orm.em.fork() as Em, uuid.toLowerCase(), ping, body);
      answer(res, found ? 200 : 404, found ? 'OK' : 'not found');
    } catch (err) {
      logger.error({ err }, 'recording a ping failed');
      answer(res, 500, 'internal error');
    }
  });
  router.use(
    (err: Error & { status?: number }, _req: Request, res: Response, _next: express.NextFunction) => {
      answer(res, err.status === 413 ? 413 : 400, err.status === 413 ? 'body too large' : 'invalid request');
    },
  );
  return router;
}
