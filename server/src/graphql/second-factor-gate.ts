import type { DocumentNode } from 'graphql';
import type { SecondFactorPolicy } from '../config/config.js';
import type { AuthInfo } from '../modules/auth/auth-info.js';
import { ForbiddenError } from './errors.js';
import { operationRootFields } from './scope.js';

/** What a session without the required second factor may still do: look, enrol, and leave. */
export const ENROLMENT_FIELDS = new Set([
  'me',
  'enableTotp',
  'confirmTotp',
  'totpStatus',
  'passkeys',
  'startPasskeyRegistration',
  'finishPasskeyRegistration',
  'logout',
  'sessions',
  'revokeSession',
  'changePassword',
]);

/** True when the policy asks this caller for a second factor its session was not signed in with. */
export function secondFactorMissing(auth: AuthInfo | null, policy: SecondFactorPolicy): boolean {
  if (!auth || auth.via !== 'session' || auth.secondFactor === true) return false;
  return policy === 'everyone' || (policy === 'admins' && auth.isAdmin);
}

/**
 * BORGHIVE_REQUIRE_SECOND_FACTOR: a session signed in with a password alone, by someone who must use a
 * second factor, may only enrol one (API tokens the user made before keep working: they are not sign-ins).
 */
export function assertSecondFactor(
  auth: AuthInfo | null,
  policy: SecondFactorPolicy,
  document: DocumentNode,
  operationName?: string | null,
): void {
  if (!secondFactorMissing(auth, policy)) return;
  const selected = operationRootFields(document, operationName);
  if (!selected) return;
  const blocked = [...selected.fields].filter((f) => !ENROLMENT_FIELDS.has(f));
  if (blocked.length > 0) {
    throw new ForbiddenError(
      `set up a second factor first (enableTotp and confirmTotp, or a passkey): ${blocked.join(', ')} is not open until then`,
    );
  }
}
