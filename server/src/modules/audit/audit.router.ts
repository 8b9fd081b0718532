import { Router } from 'express';
import type { Logger } from 'pino';
import { bearerCaller, type Allowed, type Authenticate } from '../../http/bearer-guard.js';
import { toJsonLine, type AuditService } from './audit.service.js';

function dateParam(raw: unknown): Date | null | 'bad' {
  if (raw === undefined) return null;
  const d = typeof raw === 'string' ? new Date(raw) : new Date(NaN);
  return Number.isNaN(d.getTime()) ? 'bad' : d;
}

/**
 * `GET /audit.jsonl` (mounted there) with an admin's bearer token: the whole trail, oldest first, one
 * JSON object a line; `?since=` and `?until=` (ISO dates) narrow it. Streamed in batches.
 */
export function auditRouter(
  audit: AuditService,
  authenticate: Authenticate,
  /** who may export (app.ts: an admin signed in or with a FULL / READ_ONLY token) */
  mayExport: Allowed,
  logger: Logger,
): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const refusal = 'only an admin may export the audit trail';
    if (!(await bearerCaller(req, res, authenticate, mayExport, refusal))) return;
    const since = dateParam(req.query['since']);
    const until = dateParam(req.query['until']);
    if (since === 'bad' || until === 'bad') {
      res.status(400).type('text/plain').send('since and until are ISO dates, e.g. 2026-12-01T00:00:00Z\n');
      return;
    }
    res.status(200).type('application/jsonl; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    try {
      for await (const rows of audit.export({ since, until })) {
        if (!res.write(rows.map((r) => toJsonLine(r) + '\n').join(''))) {
          await new Promise((r) => res.once('drain', r));
        }
      }
      res.end();
    } catch (err) {
      logger.error({ err }, 'audit export failed');
      res.destroy(err as Error);
    }
  });
  return router;
}
