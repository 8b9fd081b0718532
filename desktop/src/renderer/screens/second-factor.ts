import { CombinedGraphQLErrors } from '@apollo/client/errors';

/** The hive's answer when this account also needs a second factor: a TOTP or recovery code, or a passkey. */
export function otpRequired(error: unknown): Readonly<Record<string, unknown>> | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  return error.errors.find((e) => e.extensions?.['otpRequired'] === true)?.extensions ?? null;
}
