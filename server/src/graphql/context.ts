import type { Em } from '../db/orm.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import type { Services } from '../services.js';
import { createLoaders, type Loaders } from './loaders.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors.js';
import { Freshness } from './response-cache.js';

/** Built per HTTP request and per WebSocket operation: one EntityManager each. */
export interface Context {
  em: Em;
  auth: AuthInfo | null;
  services: Services;
  loaders: Loaders;
  address: string;
  /** The client's User-Agent (HTTP), recorded with a login. */
  userAgent: string | null;
  /** Fields whose value changes with time alone say here until when the answer holds. */
  freshness: Freshness;
}

export function buildContext(
  services: Services,
  auth: AuthInfo | null,
  address: string,
  userAgent: string | null = null,
): Context {
  const em = services.orm.em.fork() as Em;
  return { em, auth, services, loaders: createLoaders(em), address, userAgent, freshness: new Freshness() };
}

export function requireAuth(ctx: Context): AuthInfo {
  if (!ctx.auth) throw new UnauthenticatedError();
  return ctx.auth;
}

export function requireAdmin(ctx: Context): AuthInfo {
  const auth = requireAuth(ctx);
  if (!auth.isAdmin) throw new ForbiddenError('only an admin may do this');
  return auth;
}

/** Parses a GraphQL ID argument; anything that is not a positive integer cannot name an object. */
export function parseId(raw: string | number, what: string): number {
  const n = typeof raw === 'number' ? raw : /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw new NotFoundError(what, String(raw).slice(0, 40));
  return n;
}
