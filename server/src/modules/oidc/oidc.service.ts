import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import * as oidc from 'openid-client';
import type { Clock } from '../../adapters/clock.js';
import type { Em } from '../../db/orm.js';
import type { SecretBox } from '../../security/secret-box.js';
import { safeEqual, sha256Hex } from '../../security/secrets.js';
import { BadUserInputError, RateLimitedError, UnauthenticatedError } from '../../graphql/errors.js';
import type { AuditLine, AuditService } from '../audit/index.js';
import { anonymousRefusal, type AuthService } from '../auth/index.js';
import type { User } from '../user/index.js';
import { type OidcAccounts, type OidcIdentity, OidcRefusal } from './oidc-accounts.js';
import { OidcLogin } from './oidc-login.entity.js';
import { clockRefusal, refusalOf } from './oidc-errors.js';
import { describe, type OidcProviderClient } from './oidc-provider.js';
import { CLIENT_STATE, loopbackRedirect, S256_CHALLENGE } from './loopback-redirect.js';

/** From `GET /auth/oidc` to the provider's callback. */
const FLOW_TTL_MS = 10 * 60_000;
/** From the callback to the app exchanging the hand-off code. */
const HANDOFF_TTL_MS = 2 * 60_000;

export interface StartRequest {
  codeChallenge: string;
  /** A desktop app's loopback redirect (RFC 8252); absent: the web console of this hive. */
  redirectUri?: string | undefined;
  clientState?: string | undefined;
  /** Who asks: starts are counted per address like password attempts. */
  address: string;
}

/** Where the browser goes after the provider's callback (the console, or the desktop app's loopback). */
export interface CallbackOutcome {
  location: string;
  ok: boolean;
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * OpenID Connect sign-in: authorization code + PKCE with state and nonce towards the provider, the ID
 * token checked by openid-client against the provider's keys, issuer, audience and clock. The app that
 * started the sign-in (a console tab, the desktop app) receives a one-time code and exchanges it with
 * its own PKCE verifier for an ordinary login session.
 */
export class OidcService {
  constructor(
    private readonly provider: OidcProviderClient,
    private readonly accounts: OidcAccounts,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** BORGHIVE_PUBLIC_URL, read when needed (a test hive learns its port after it listens). */
    private readonly publicUrl: () => string,
  ) {}

  get name(): string {
    return this.provider.settings.name;
  }

  get callbackUrl(): string {
    return `${this.publicUrl()}/auth/oidc/callback`;
  }

  status(): Promise<{ available: boolean; message: string | null }> {
    return this.provider.status();
  }

  /** Checks the app's request; returns the provider's authorization URL and the state (for the cookie). */
  async start(em: Em, request: StartRequest): Promise<{ authorizationUrl: string; state: string }> {
    const problems: { field: string; message: string }[] = [];
    if (!S256_CHALLENGE.test(request.codeChallenge))
      problems.push({ field: 'code_challenge', message: 'a PKCE S256 challenge (43 base64url characters)' });
    const returnTo = request.redirectUri === undefined ? null : loopbackRedirect(request.redirectUri);
    if (request.redirectUri !== undefined && returnTo === null)
      problems.push({
        field: 'redirect_uri',
        message: 'only http://127.0.0.1:<port>/<path> or http://[::1]:<port>/<path>',
      });
    if (request.clientState !== undefined && !CLIENT_STATE.test(request.clientState))
      problems.push({ field: 'state', message: '1 to 128 of letters, digits, . _ ~ -' });
    if (problems.length > 0) throw BadUserInputError.fromProblems(problems);
    const admission = await this.auth.throttle.admitAnonymous('oidc-start', request.address);
    if (!admission.allowed)
      throw new RateLimitedError(anonymousRefusal(admission.retryAfterSeconds), admission.retryAfterSeconds);
    const config = await this.provider.configuration();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const now = this.clock.now();
    await em.nativeDelete(OidcLogin, { expiresAt: { $lt: now } });
    em.create(OidcLogin, {
      stateHash: sha256Hex(state),
      nonce,
      verifierSealed: this.secrets.seal(verifier),
      clientChallenge: request.codeChallenge,
      returnTo,
      clientState: request.clientState ?? null,
      expiresAt: new Date(now.getTime() + FLOW_TTL_MS),
      createdAt: now,
    });
    await em.flush();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.callbackUrl,
      scope: this.provider.settings.scopes,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { authorizationUrl: url.href, state };
  }

  /**
   * The provider's answer: the state must be one this hive issued, unused, unexpired and the one in
   * this browser's cookie; the code is exchanged and the ID token checked; the account found or made.
   */
  async callback(
    em: Em,
    currentUrl: URL,
    cookieState: string | undefined,
    address: string,
  ): Promise<CallbackOutcome> {
    const state = currentUrl.searchParams.get('state') ?? '';
    const login = state === '' ? null : await em.findOne(OidcLogin, { stateHash: sha256Hex(state) });
    try {
      if (!login)
        throw new OidcRefusal(
          'the answer does not belong to a sign-in this hive started (unknown or expired state): start again',
        );
      if (cookieState === undefined || !safeEqual(cookieState, state))
        throw new OidcRefusal('this sign-in was started in another browser: start again');
      const now = this.clock.now();
      const claimed = await em.nativeUpdate(
        OidcLogin,
        { id: login.id, calledBackAt: null, expiresAt: { $gt: now } },
        { calledBackAt: now },
      );
      if (claimed !== 1) throw new OidcRefusal('this sign-in was used already or has expired: start again');
      const identity = await this.identityOf(currentUrl, login);
      const { user, created } = await this.accounts.accountFor(em, identity);
      const code = randomBytes(32).toString('base64url');
      await em.nativeUpdate(
        OidcLogin,
        { id: login.id },
        { user: user.id, handoffHash: sha256Hex(code), expiresAt: new Date(now.getTime() + HANDOFF_TTL_MS) },
      );
      if (created)
        this.logger.info(
          { username: user.username, sub: identity.subject },
          'account created by OpenID Connect sign-in',
        );
      return { ok: true, location: this.returnOf(login, { code }) };
    } catch (err) {
      const reason =
        err instanceof OidcRefusal ? err.message : `${this.name} sign-in failed (${describe(err)})`;
      if (!(err instanceof OidcRefusal))
        this.logger.warn({ err, address }, 'OpenID Connect callback refused');
      await this.record(address, null, 'FAILED', reason);
      return { ok: false, location: this.returnOf(login, { error: reason }) };
    }
  }

  /**
   * Where a start that cannot go to the provider sends the browser, with the reason: back to the console,
   * or to the desktop app's loopback (a valid one only), which then stops waiting.
   */
  startFailureLocation(request: StartRequest, reason: string): string {
    const returnTo = request.redirectUri === undefined ? null : loopbackRedirect(request.redirectUri);
    const clientState =
      request.clientState !== undefined && CLIENT_STATE.test(request.clientState)
        ? request.clientState
        : null;
    return this.returnOf({ returnTo, clientState }, { error: reason });
  }

  /** The app exchanges the one-time code, proving with its PKCE verifier that it started the sign-in. */
  async redeem(
    em: Em,
    code: string,
    codeVerifier: string,
    address: string,
    userAgent: string | null,
  ): Promise<{ token: string; user: User }> {
    const refused = new UnauthenticatedError('this sign-in code is unknown, used or expired: sign in again');
    const login = await em.findOne(OidcLogin, { handoffHash: sha256Hex(code) }, { populate: ['user'] });
    const now = this.clock.now();
    if (!login?.user) throw refused;
    const claimed = await em.nativeUpdate(
      OidcLogin,
      { id: login.id, redeemedAt: null, expiresAt: { $gt: now } },
      { redeemedAt: now },
    );
    if (claimed !== 1) throw refused;
    if (!safeEqual(s256(codeVerifier), login.clientChallenge)) {
      await this.record(
        address,
        login.user.getEntity(),
        'FAILED',
        'wrong PKCE verifier for the sign-in code',
      );
      throw refused;
    }
    const user = login.user.getEntity();
    // the provider is trusted with the second factor (see docs/sign-in.md)
    const token = await this.auth.startSession(em, user, address, userAgent, true);
    await this.record(address, user, 'OK', null);
    await this.auth.throttle.forgetAnonymous('oidc-start', address);
    return { token, user };
  }

  private async identityOf(currentUrl: URL, login: OidcLogin): Promise<OidcIdentity> {
    const config = await this.provider.configuration();
    const settings = this.provider.settings;
    const url = new URL(this.callbackUrl);
    url.search = currentUrl.search;
    const refused = (err: unknown): OidcRefusal => {
      const refusal = refusalOf(err, settings.name, settings.issuer, settings.clockToleranceSeconds);
      if (!(err instanceof OidcRefusal)) this.logger.warn({ err }, `OpenID Connect: ${refusal.message}`);
      return refusal;
    };
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, url, {
        pkceCodeVerifier: this.secrets.open(login.verifierSealed),
        expectedState: url.searchParams.get('state') ?? undefined,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      throw refused(err);
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcRefusal('the provider sent no ID token');
    // openid-client checks exp and nbf; an ID token issued in this hive's future means a clock is off
    const skew = idClaims.iat - Date.now() / 1000;
    if (skew > settings.clockToleranceSeconds)
      throw clockRefusal(settings.name, skew, settings.clockToleranceSeconds);
    let claims: Record<string, unknown> = { ...idClaims };
    const missing = [settings.usernameClaim, 'email', settings.groupsClaim].some(
      (c) => c !== null && claims[c] === undefined,
    );
    if (missing && config.serverMetadata().userinfo_endpoint) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...info, ...idClaims };
    }
    const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, 254) : null);
    const groupsRaw = settings.groupsClaim === null ? null : claims[settings.groupsClaim];
    return {
      issuer: idClaims.iss,
      subject: idClaims.sub,
      email: text(claims['email']),
      emailVerified: claims['email_verified'] === true,
      preferredName: text(claims[settings.usernameClaim]),
      groups:
        settings.groupsClaim === null
          ? null
          : Array.isArray(groupsRaw)
            ? groupsRaw.filter((g): g is string => typeof g === 'string')
            : typeof groupsRaw === 'string'
              ? [groupsRaw]
              : [],
    };
  }

  /** The console (`/#oidc=` / `/#oidc-error=`), or the desktop app's loopback with `code` or `error`. */
  private returnOf(
    login: Pick<OidcLogin, 'returnTo' | 'clientState'> | null,
    result: { code: string } | { error: string },
  ): string {
    if (login?.returnTo) {
      const url = new URL(login.returnTo);
      if ('code' in result) url.searchParams.set('code', result.code);
      else {
        url.searchParams.set('error', 'access_denied');
        url.searchParams.set('error_description', result.error);
      }
      if (login.clientState) url.searchParams.set('state', login.clientState);
      return url.href;
    }
    const fragment =
      'code' in result ? `oidc=${result.code}` : `oidc-error=${encodeURIComponent(result.error)}`;
    return `${this.publicUrl()}/#${fragment}`;
  }

  private async record(
    address: string,
    user: User | null,
    outcome: string,
    reason: string | null,
  ): Promise<void> {
    const line: AuditLine = {
      actorId: user?.id ?? null,
      actorName: user?.username ?? null,
      via: 'oidc',
      address: address.slice(0, 64),
      operation: 'signIn',
      target: user?.username ?? null,
      outcome,
      details: JSON.stringify({ provider: this.name, ...(reason ? { reason: reason.slice(0, 300) } : {}) }),
    };
    await this.audit.record([line]);
  }
}
