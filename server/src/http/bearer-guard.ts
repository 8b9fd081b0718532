import type { Request, Response } from 'express';
import type { AuthInfo } from '../modules/auth/auth-info.js';

/** Resolves the Authorization header to the caller (null: absent, unknown, expired or revoked). */
export type Authenticate = (header: unknown) => Promise<AuthInfo | null>;

/** Whether a known caller may use the endpoint. */
export type Allowed = (auth: AuthInfo) => boolean;

/**
 * The one guard of the HTTP endpoints outside GraphQL that need an admin or a scope (GET /metrics,
 * GET /audit.jsonl): the caller, or null once it answered 401 (no valid bearer token) or 403 (`allowed`
 * says no, with `refusal` as the reason).
 */
export async function bearerCaller(
  req: Request,
  res: Response,
  authenticate: Authenticate,
  allowed: Allowed,
  refusal: string,
): Promise<AuthInfo | null> {
  const auth = await authenticate(req.headers.authorization);
  if (!auth) {
    res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('a bearer token is required\n');
    return null;
  }
  if (!allowed(auth)) {
    res.status(403).type('text/plain').send(`${refusal}\n`);
    return null;
  }
  return auth;
}
