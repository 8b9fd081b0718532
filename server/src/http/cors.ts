import type { RequestHandler } from 'express';

/**
 * CORS for /graphql, so the desktop app (renderer on file://, Origin `null`) and other clients can call the API.
 *
 * Any origin is allowed, on purpose: the API authenticates only with `Authorization: Bearer` (never cookies or
 * other ambient credentials), so a foreign page can do nothing a plain HTTP client without the token could not.
 * An allow-list would not add protection either: Origin `null`, which the desktop app sends, is also what any
 * site's sandboxed iframe sends. Credentials stay off (`*` forbids them), so no cookie can ever ride along.
 */
export const graphqlCors: RequestHandler = (req, res, next) => {
  res.vary('Origin');
  if (req.headers.origin === undefined) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
  res.setHeader(
    'Access-Control-Allow-Headers',
    'authorization, content-type, accept, apollo-require-preflight, x-apollo-operation-name',
  );
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
};
