import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { Em, Orm } from '../../db/orm.js';
import { PING_BODY_LIMIT } from './ping-body.js';
import { PingBodyTooLarge, readPingBody } from './ping-body-reader.js';
import { parsePingPath } from './ping-path.js';
import type { PingService } from './ping.service.js';
import { RateLimiter } from '../../http/rate-limit.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Read at most this much of a body (keeping its first and last PING_BODY_LIMIT bytes); a larger one gets 413. */
export const PING_READ_LIMIT = 10 * 1024 * 1024;

export interface PingRouterOptions {
  perMinute?: number;
  /** Most ping uuids the rate limiter keeps at once (least recently used forgotten first). */
  limiterCapacity?: number;
  /** The limiter's clock (the hive's, so tests with a manual clock count deterministically). */
  now?: () => number;
}

/**
 * Healthchecks-compatible ping endpoint, mounted at `/ping`: GET, HEAD and POST on `/<uuid>`,
 * `/<uuid>/start|fail|log|<0-255>` answer `200 OK`; unknown uuid 404, malformed URL 400, too many
 * pings for one uuid 429, a body over PING_READ_LIMIT 413. The uuid's format is checked before any
 * database query and its existence before a byte of the body is read: an answer given early closes
 * the connection instead of reading the rest. Of a body, only its first and last PING_BODY_LIMIT
 * bytes are held in memory.
 */
export function pingRouter(
  orm: Orm,
  pings: PingService,
  logger: Logger,
  options: PingRouterOptions = {},
): Router {
  const limiter = new RateLimiter(options.perMinute ?? 20, 60_000, {
    ...(options.limiterCapacity === undefined ? {} : { capacity: options.limiterCapacity }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const router = Router();
  const answer = (res: Response, status: number, text: string) => {
    res.status(status).set('Ping-Body-Limit', String(PING_BODY_LIMIT)).type('text/plain').send(text);
  };
  /** An answer before the body was read: the connection ends, the rest of the upload is not read. */
  const answerEarly = (req: Request, res: Response, status: number, text: string) => {
    if (!req.complete) res.set('Connection', 'close');
    answer(res, status, text);
  };
  router.use(async (req: Request, res: Response) => {
    if (!['GET', 'HEAD', 'POST'].includes(req.method)) {
      res.set('Allow', 'GET, HEAD, POST');
      return answerEarly(req, res, 405, 'method not allowed');
    }
    const match = /^\/([^/]+)(\/.*)?$/.exec(req.path);
    const uuid = (match?.[1] ?? '').toLowerCase();
    const ping = parsePingPath(match?.[2] ?? '');
    if (!UUID.test(uuid) || ping === null) return answerEarly(req, res, 400, 'invalid url format');
    try {
      const em = orm.em.fork() as Em;
      const repo = await pings.find(em, uuid);
      if (repo === null) return answerEarly(req, res, 404, 'not found');
      if (!limiter.hit(uuid)) return answerEarly(req, res, 429, 'rate limited');
      const body = await readPingBody(req, PING_READ_LIMIT);
      await pings.record(em, repo, ping, body);
      answer(res, 200, 'OK');
    } catch (err) {
      if (err instanceof PingBodyTooLarge) return answerEarly(req, res, 413, 'body too large');
      logger.error({ err }, 'recording a ping failed');
      answerEarly(req, res, 500, 'internal error');
    }
  });
  return router;
}
