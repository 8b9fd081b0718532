import * as oidc from 'openid-client';
import { OidcRefusal } from './oidc-accounts.js';
import { describe } from './oidc-provider.js';

/** What oauth4webapi attaches to a failed check of a JWT claim (the `cause` of its error). */
interface ClaimCheck {
  claims?: Record<string, unknown>;
  claim?: string;
  now?: number;
  tolerance?: number;
  expected?: unknown;
}

function claimCheckOf(err: unknown): ClaimCheck | null {
  // openid-client's ClientError -> oauth4webapi's OperationProcessingError -> { claims, claim, now, ... }
  let at: unknown = err;
  for (let depth = 0; depth < 3 && at instanceof Error; depth++) {
    const cause: unknown = at.cause;
    if (cause !== null && typeof cause === 'object' && !(cause instanceof Error) && 'claim' in cause)
      return cause as ClaimCheck;
    at = cause;
  }
  return null;
}

function messagesOf(err: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = err, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth++)
    parts.push(at.message);
  return parts.join(': ');
}

/** "4 minutes", "2 hours", "40 seconds": how far apart two clocks are. */
export function spanOf(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s >= 5400) return `${Math.round(s / 3600)} hours`;
  if (s >= 120) return `${Math.round(s / 60)} minutes`;
  return `${s} seconds`;
}

/**
 * The refusal of a clock too far from the provider's: the ID token was issued `skewSeconds` ahead of (>0)
 * or behind (<0) this hive's clock. Names the clocks, since no retry helps until one of them is set right.
 */
export function clockRefusal(provider: string, skewSeconds: number, toleranceSeconds: number): OidcRefusal {
  const direction = skewSeconds > 0 ? 'ahead of' : 'behind';
  return new OidcRefusal(
    `the clocks are off: ${provider}'s clock is about ${spanOf(skewSeconds)} ${direction} this hive's clock ` +
      `(at most ${toleranceSeconds} seconds are allowed, BORGHIVE_OIDC_CLOCK_TOLERANCE_SECONDS); ` +
      `set the clock of this hive or of ${provider} right (NTP) and sign in again`,
  );
}

/**
 * The reason shown on the sign-in page for a failed code exchange or ID token check: the provider's
 * refusal, a signature that is not the provider's, another issuer or a clock far off, in plain words.
 */
export function refusalOf(
  err: unknown,
  provider: string,
  issuer: string,
  toleranceSeconds: number,
): OidcRefusal {
  if (err instanceof OidcRefusal) return err;
  if (err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant')
    return new OidcRefusal(
      `${provider} refused the sign-in code (it expired or was used already): start the sign-in again`,
    );
  const check = claimCheckOf(err);
  if (check?.claim === 'iss') {
    const got = typeof check.claims?.['iss'] === 'string' ? check.claims['iss'] : 'another issuer';
    return new OidcRefusal(
      `the ID token was issued by "${got.slice(0, 200)}", not by ${issuer} (BORGHIVE_OIDC_ISSUER): refused`,
    );
  }
  if (
    (check?.claim === 'exp' || check?.claim === 'nbf' || check?.claim === 'iat') &&
    typeof check.now === 'number'
  ) {
    const claims = check.claims ?? {};
    const iat = typeof claims['iat'] === 'number' ? claims['iat'] : null;
    const exp = typeof claims['exp'] === 'number' ? claims['exp'] : null;
    // the token was just issued: its iat is the provider's "now"; without one, its exp is at least late
    const skew = iat !== null ? iat - check.now : exp !== null ? exp - check.now : 0;
    return clockRefusal(provider, skew, toleranceSeconds);
  }
  if (check?.claim === 'nonce')
    return new OidcRefusal('the ID token belongs to another sign-in (wrong nonce): start again');
  if (check?.claim === 'aud' || check?.claim === 'azp')
    return new OidcRefusal(`the ID token was issued to another client than BORGHIVE_OIDC_CLIENT_ID: refused`);
  if (/signature verification failed/i.test(messagesOf(err)))
    return new OidcRefusal(
      `the ID token's signature does not match ${provider}'s keys (altered, or not issued by ${provider}): refused`,
    );
  return new OidcRefusal(`${provider} sign-in failed (${describe(err)})`);
}
