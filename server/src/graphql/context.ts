import type { Em } from '../db/orm.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import type { Services } from '../services.js';
import { createLoaders, type Loaders } from './loaders.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors.js';
import { SendBudget } from './live-queue.js';
import { Freshness } from './response-cache.js';
import { CostMeter } from './request-budget.js';

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
  /** How many live messages the caller's WebSocket may have waiting (unbounded elsewhere). */
  sendBudget: SendBudget;
  /** What this request has cost so far (limits and the caller's heavy slots). */
  cost: CostMeter;
  /** The account a sign-in without a user name (a passkey) turned out to be about, for the audit trail. */
  signInSubject?: { userId: number; username: string } | undefined;
}

export function buildContext(
  services: Services,
  auth: AuthInfo | null,
  address: string,
  userAgent: string | null = null,
): Context {
  const em = services.orm.em.fork() as Em;
  const caller = auth ? `user:${auth.userId}` : `address:${address}`;
  const cost = new CostMeter(services.config.requestLimits, services.heavySlots, caller);
  return {
    em,
    auth,
    services,
    loaders: createLoaders(em),
    address,
    userAgent,
    freshness: new Freshness(),
    sendBudget: SendBudget.unbounded(),
    cost,
  };
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
