import type { Services } from '../services.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import type { CredentialState } from '../modules/auth/credential.js';

/** Resolves `Bearer <token>` (header or connectionParams) to the caller; null when absent or invalid. */
export async function authFromBearer(services: Services, header: unknown): Promise<AuthInfo | null> {
  const credential = await credentialFromBearer(services, header);
  return credential?.live ? credential.auth : null;
}

/** The same, with the credential's expiry (what a WebSocket needs to close when it is over). */
export async function credentialFromBearer(
  services: Services,
  header: unknown,
): Promise<CredentialState | null> {
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S{1,200})$/i.exec(header.trim());
  if (!m?.[1]) return null;
  return services.auth.credentialOf(services.orm.em.fork(), m[1]);
}
