import { Router } from 'express';
import type { Logger } from 'pino';
import type { AuditActor } from './audit-recorder.js';
import { toJsonLine, type AuditService } from './audit.service.js';

/** Who may export: resolves the Authorization header to an admin, or null. */
export type AdminOf = (header: string | undefined) => Promise<(AuditActor & { isAdmin: boolean }) | null>;

function dateParam(raw: unknown): Date | null | 'bad' {
  if (raw === undefined) return null;
  const d = typeof raw === 'string' ? new Date(raw) : new Date(NaN);
  return Number.isNaN(d.getTime()) ? 'bad' : d;
}

/**
 * `GET /audit.jsonl` (mounted there) with an admin's bearer token: the whole trail, oldest first, one
 * JSON object a line; `?since=` and `?until=` (ISO dates) narrow it. Streamed in batches.
 */
export function auditRouter(audit: AuditService, adminOf: AdminOf, logger: Logger): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const caller = await adminOf(req.headers.authorization);
    if (!caller) {
      res.status(401).type('text/plain').send('send Authorization: Bearer <token> of an admin\n');
      return;
    }
    if (!caller.isAdmin) {
      res.status(403).type('text/plain').send('only an admin may export the audit trail\n');
      return;
    }
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
