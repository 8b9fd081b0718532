import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config/config.js';

/** How long a failed discovery is remembered before the provider is asked again. */
const RETRY_AFTER_MS = 15_000;
/** How long a working discovery is trusted before the sign-in page checks the provider again. */
const RECHECK_AFTER_MS = 60_000;

export class ProviderUnavailableError extends Error {
  override readonly name = 'ProviderUnavailableError';
}

/**
 * The OpenID provider as openid-client sees it: its discovery document (issuer checked against
 * BORGHIVE_OIDC_ISSUER), its keys (fetched and refreshed by openid-client), and whether it answers.
 */
export class OidcProviderClient {
  private config: oidc.Configuration | null = null;
  private checkedAt = 0;
  private failure: { at: number; message: string } | null = null;
  private pending: Promise<oidc.Configuration> | null = null;

  constructor(
    readonly settings: OidcConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider's configuration; throws ProviderUnavailableError when it cannot be reached or is wrong. */
  async configuration(): Promise<oidc.Configuration> {
    if (this.config) return this.config;
    return this.discover();
  }

  /** For the sign-in page: whether the provider answers now (asked again at most once a minute). */
  async status(): Promise<{ available: boolean; message: string | null }> {
    if (this.config && this.now() - this.checkedAt < RECHECK_AFTER_MS)
      return { available: true, message: null };
    try {
      await this.discover();
      return { available: true, message: null };
    } catch (err) {
      return { available: false, message: (err as Error).message };
    }
  }

  private discover(): Promise<oidc.Configuration> {
    if (this.failure && this.now() - this.failure.at < RETRY_AFTER_MS)
      return Promise.reject(new ProviderUnavailableError(this.failure.message));
    this.pending ??= this.fetchConfiguration().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async fetchConfiguration(): Promise<oidc.Configuration> {
    const s = this.settings;
    try {
      const config = await oidc.discovery(
        new URL(s.issuer),
        s.clientId,
        { [oidc.clockTolerance]: s.clockToleranceSeconds },
        s.clientSecret === null ? oidc.None() : oidc.ClientSecretPost(s.clientSecret),
        {
          timeout: 5,
          // the ID token's signature is checked against the provider's keys even though it comes straight
          // from the token endpoint: over http on loopback, or behind a TLS-terminating proxy, TLS alone
          // does not vouch for it
          execute: [
            oidc.enableNonRepudiationChecks,
            ...(s.allowInsecure ? [oidc.allowInsecureRequests] : []),
          ],
        },
      );
      config.timeout = 10;
      this.config = config;
      this.checkedAt = this.now();
      this.failure = null;
      return config;
    } catch (err) {
      const message = `${s.name} does not answer at ${s.issuer} (${describe(err)})`;
      this.config = null;
      this.failure = { at: this.now(), message };
      throw new ProviderUnavailableError(message);
    }
  }
}

/** A short reason for a failure of openid-client (its errors carry a cause or an OAuth error code). */
export function describe(err: unknown): string {
  if (err instanceof oidc.ResponseBodyError)
    return `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`;
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err.message}${cause}`.slice(0, 300);
  }
  return String(err).slice(0, 300);
}
