import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { Orm, Em } from '../../db/orm.js';
import { BadUserInputError, RateLimitedError } from '../../graphql/errors.js';
import type { OidcService } from './oidc.service.js';

const COOKIE = 'bh_oidc_state';

function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function param(raw: unknown): string | undefined {
  return typeof raw === 'string' ? raw : undefined;
}

/**
 * `GET /auth/oidc` (mounted at /auth/oidc) starts a sign-in: `code_challenge` (S256, required), and for
 * the desktop app `redirect_uri` (loopback) and `state`. The state towards the provider also goes into a
 * cookie for this path only, so the callback must come back to the browser that started it.
 * `GET /auth/oidc/callback` takes the provider's answer and sends the browser on.
 */
export function oidcRouter(
  service: OidcService,
  orm: Orm,
  addressOf: (req: IncomingMessage) => string,
  logger: Logger,
): Router {
  const router = Router();
  const secure = service.callbackUrl.startsWith('https:') ? '; Secure' : '';
  router.get('/', async (req, res) => {
    const request = {
      codeChallenge: param(req.query['code_challenge']) ?? '',
      redirectUri: param(req.query['redirect_uri']),
      clientState: param(req.query['state']),
      address: addressOf(req),
    };
    try {
      const { authorizationUrl, state } = await service.start(orm.em.fork() as Em, request);
      res.setHeader(
        'Set-Cookie',
        `${COOKIE}=${state}; Path=/auth/oidc; Max-Age=600; HttpOnly; SameSite=Lax${secure}`,
      );
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, authorizationUrl);
    } catch (err) {
      if (err instanceof BadUserInputError) {
        res.status(400).type('text/plain').send(`${err.message}\n`);
        return;
      }
      // throttled, or the provider does not answer: back to the sign-in page (or the app) with the reason
      if (!(err instanceof RateLimitedError)) logger.warn({ err }, 'OpenID Connect sign-in could not start');
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(302, service.startFailureLocation(request, (err as Error).message));
    }
  });
  router.get('/callback', async (req, res) => {
    const current = new URL(req.originalUrl, service.callbackUrl);
    const outcome = await service.callback(
      orm.em.fork() as Em,
      current,
      cookieOf(req.headers.cookie, COOKIE),
      addressOf(req),
    );
    res.setHeader('Set-Cookie', `${COOKIE}=; Path=/auth/oidc; Max-Age=0; HttpOnly; SameSite=Lax${secure}`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.redirect(302, outcome.location);
  });
  return router;
}
