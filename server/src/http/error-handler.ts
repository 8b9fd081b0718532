import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';

/** Unknown routes: a short JSON answer (never express's HTML page). */
export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({
    errors: [
      { message: `no route ${req.method} ${req.path.slice(0, 200)}`, extensions: { code: 'NOT_FOUND' } },
    ],
  });
};

/**
 * The last error handler: client errors (malformed JSON, a body over the limit) answer their status
 * and a one-line message; anything else is logged in full and answers 500. Never a stack trace,
 * whatever NODE_ENV says (express's default handler prints one unless NODE_ENV=production).
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = (err ?? {}) as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
    const raw =
      typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : 500;
    const status = raw >= 400 && raw < 600 ? raw : 500;
    if (status >= 500) logger.error({ err, path: req.path }, 'unexpected error in an HTTP request');
    const message =
      status < 500 && e.expose === true && typeof e.message === 'string'
        ? e.message.split('\n')[0]!.slice(0, 300)
        : 'internal server error';
    const code = status >= 500 ? 'INTERNAL_SERVER_ERROR' : status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
