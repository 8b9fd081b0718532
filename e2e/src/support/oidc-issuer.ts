import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the provider, with the claims it issues for them. */
export interface IssuerAccount {
  sub: string;
  preferred_username: string;
  email: string;
  email_verified: boolean;
  groups: string[];
}

/** Rewrites the payload of the next ID tokens; `resign: false` keeps the old signature (a forgery). */
export interface IdTokenRewrite {
  payload(claims: Record<string, unknown>): Record<string, unknown>;
  resign: boolean;
}

/**
 * A real OpenID provider (`oidc-provider`, the certified Node implementation) on 127.0.0.1 with one
 * confidential client. Sign-in at the provider needs no typing: whoever `signInAs` names is signed in
 * and consents. The test can shorten the life of authorization codes and rewrite the ID tokens the
 * token endpoint sends (forged, re-signed with another issuer or another clock), to see the hive refuse them.
 */
export class TestIssuer {
  readonly clientId = 'borg-hive';
  readonly clientSecret = 'borg-hive-client-secret-for-tests';
  /** Seconds an authorization code lives. */
  codeTtlSeconds = 60;
  rewrite: IdTokenRewrite | null = null;
  /**
   * How the provider sends the browser back to the client: with another `state`, or late (a browser's
   * own interception does not see a request reached by a redirect, so it is done here).
   */
  returnHook: { state?: string; delayMs?: number } | null = null;
  private account: IssuerAccount | null = null;
  private readonly accounts = new Map<string, IssuerAccount>();
  private provider: Provider | null = null;
  private readonly key: KeyObject;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }

  /** Listens first (the issuer is its own URL); `configure` then names the hive's callback. */
  static async listen(): Promise<TestIssuer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = new TestIssuer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => void issuer.handle(req, res));
    return issuer;
  }

  configure(redirectUris: string[]): void {
    const lookup = (id: string) => this.accounts.get(id);
    this.provider = new Provider(this.url, {
      clients: [
        {
          client_id: this.clientId,
          client_secret: this.clientSecret,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      jwks: { keys: [{ ...this.key.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }] },
      cookies: { keys: ['a-cookie-key-for-the-test-issuer'] },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['preferred_username', 'groups'],
      },
      // the scope's claims go into the ID token itself (the hive reads userinfo only for missing ones)
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      interactions: {
        url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}`,
      },
      pkce: { required: () => true },
      ttl: {
        AuthorizationCode: () => this.codeTtlSeconds,
        AccessToken: 600,
        IdToken: 600,
        Grant: 3600,
        Interaction: 600,
        Session: 3600,
      },
      findAccount: (_ctx: unknown, id: string) => {
        const account = lookup(id);
        return account ? { accountId: id, claims: () => ({ ...account }) } : undefined;
      },
    });
  }

  /** A hive's BORGHIVE_OIDC_* for this provider ("Test SSO", groups from `groups`, admins: hive-admins). */
  hiveEnv(extra: Record<string, string> = {}, issuerUrl = this.url): Record<string, string> {
    return {
      BORGHIVE_OIDC_ISSUER: issuerUrl,
      BORGHIVE_OIDC_CLIENT_ID: this.clientId,
      BORGHIVE_OIDC_CLIENT_SECRET: this.clientSecret,
      BORGHIVE_OIDC_NAME: 'Test SSO',
      BORGHIVE_OIDC_GROUPS_CLAIM: 'groups',
      BORGHIVE_OIDC_ADMIN_GROUP: 'hive-admins',
      ...extra,
    };
  }

  /** Whoever signs in at the provider from now on (a fresh browser context starts a fresh session). */
  signInAs(account: IssuerAccount): void {
    this.accounts.set(account.sub, account);
    this.account = account;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = this.provider;
    if (!provider) {
      res.writeHead(503).end('not configured yet');
      return;
    }
    try {
      if (req.method === 'GET' && req.url?.startsWith('/interaction/')) {
        await this.interact(provider, req, res);
        return;
      }
      if (req.method === 'POST' && req.url?.startsWith('/token') && this.rewrite) this.rewriteTokens(res);
      if (this.returnHook) this.hookReturn(res, this.returnHook);
      provider.callback()(req, res);
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  }

  /** The login and consent prompts, answered at once for `signInAs`. */
  private async interact(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!this.account) throw new Error('signInAs() first');
      await provider.interactionFinished(req, res, { login: { accountId: this.account.sub } });
      return;
    }
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ?? null)
      : new provider.Grant({
          accountId: details.session?.accountId ?? '',
          clientId: String(details.params['client_id']),
        });
    if (!grant) throw new Error('grant not found');
    const scopes = details.prompt.details['missingOIDCScope'];
    const claims = details.prompt.details['missingOIDCClaims'];
    if (Array.isArray(scopes)) grant.addOIDCScope(scopes.join(' '));
    if (Array.isArray(claims)) grant.addOIDCClaims(claims as string[]);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  /** A redirect to a client's callback (with code and state) gets another state, or leaves late. */
  private hookReturn(res: ServerResponse, hook: { state?: string; delayMs?: number }): void {
    let returning = false;
    const setHeader = res.setHeader.bind(res);
    res.setHeader = ((name: string, value: number | string | readonly string[]) => {
      if (name.toLowerCase() === 'location' && typeof value === 'string' && value.includes('code=')) {
        returning = true;
        const url = new URL(value);
        if (hook.state !== undefined) url.searchParams.set('state', hook.state);
        return setHeader(name, url.href);
      }
      return setHeader(name, value);
    }) as typeof res.setHeader;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (!returning || !hook.delayMs) return end(...args);
      setTimeout(() => end(...args), hook.delayMs);
      return res;
    }) as typeof res.end;
  }

  /** The token endpoint's answer, with its ID token rewritten before it leaves. */
  private rewriteTokens(res: ServerResponse): void {
    const rewrite = this.rewrite;
    if (!rewrite) return;
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      const text = Buffer.isBuffer(chunk) ? chunk.toString() : typeof chunk === 'string' ? chunk : null;
      if (text === null) return end(chunk);
      const body = JSON.parse(text) as { id_token?: string };
      if (body.id_token) body.id_token = this.rewritten(body.id_token, rewrite);
      const out = JSON.stringify(body);
      if (!res.headersSent) res.setHeader('Content-Length', Buffer.byteLength(out));
      return end(out);
    }) as typeof res.end;
  }

  private rewritten(token: string, rewrite: IdTokenRewrite): string {
    const [header = '', payload = '', signature = ''] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const body = Buffer.from(JSON.stringify(rewrite.payload(claims))).toString('base64url');
    if (!rewrite.resign) return `${header}.${body}.${signature}`;
    const signed = createSign('RSA-SHA256').update(`${header}.${body}`).sign(this.key).toString('base64url');
    return `${header}.${body}.${signed}`;
  }
}
