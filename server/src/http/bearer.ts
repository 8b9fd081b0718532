import type { Services } from '../services.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';

/** Resolves `Bearer <token>` (header or connectionParams) to the caller; null when absent or invalid. */
export async function authFromBearer(services: Services, header: unknown): Promise<AuthInfo | null> {
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S{1,200})$/i.exec(header.trim());
  if (!m?.[1]) return null;
  return services.auth.authenticate(services.orm.em.fork(), m[1]);
}
