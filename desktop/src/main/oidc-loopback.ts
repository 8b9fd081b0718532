import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The desktop app's OpenID Connect sign-in (RFC 8252): a one-shot HTTP server on 127.0.0.1 with a port
 * the system picks, the system browser sent to the hive's `/auth/oidc` with that loopback redirect, a
 * PKCE challenge and a state; the hive (after the provider) sends the browser back with a one-time
 * code, which only this process can exchange, holding the verifier. Plain Node: Electron only supplies
 * `openBrowser` (shell.openExternal).
 */
export interface LoopbackSignInDeps {
  /** Opens the URL in the system browser (never an embedded web view, RFC 8252 §8.12). */
  openBrowser(url: string): Promise<void>;
  fetch?: typeof fetch;
  /** How long the browser has to come back; default five minutes. */
  timeoutMs?: number;
}

export interface LoopbackSignIn {
  token: string;
  username: string;
}

const PAGE = (text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>Borg Hive</title><p>${text.replace(/[<>&"]/g, '')}</p>`;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Waits for the one request to `/callback` whose state matches; anything else is answered 404. */
function awaitRedirect(
  state: string,
  timeoutMs: number,
): { ready: Promise<number>; code: Promise<string>; close(): void } {
  let settle!: { resolve(code: string): void; reject(err: Error): void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (
      req.method !== 'GET' ||
      url.pathname !== '/callback' ||
      !sameText(url.searchParams.get('state') ?? '', state)
    ) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not a sign-in of this app\n');
      return;
    }
    const error = url.searchParams.get('error_description') ?? url.searchParams.get('error');
    const received = url.searchParams.get('code');
    const done = error === null && received !== null;
    res
      .writeHead(done ? 200 : 400, {
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
      })
      .end(
        PAGE(
          done
            ? 'Signed in. You can close this window and return to Borg Hive.'
            : `Sign-in refused: ${error ?? 'no code'}`,
        ),
      );
    if (done) settle.resolve(received);
    else settle.reject(new Error(`sign-in refused: ${error ?? 'the hive sent no code'}`));
  });
  const timer = setTimeout(
    () => settle.reject(new Error('the browser did not come back in time: start the sign-in again')),
    timeoutMs,
  );
  const close = (): void => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  const ready = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return { ready, code, close };
}

const COMPLETE = `mutation CompleteOidcSignIn($code: String!, $codeVerifier: String!) {
  completeOidcSignIn(code: $code, codeVerifier: $codeVerifier) { token user { username } }
}`;

interface CompleteAnswer {
  data?: { completeOidcSignIn?: { token: string; user: { username: string } } } | null;
  errors?: { message: string }[];
}

/** Signs in to the hive at `hiveUrl` through the system browser; resolves with the session token. */
export async function signInThroughBrowser(
  hiveUrl: string,
  deps: LoopbackSignInDeps,
): Promise<LoopbackSignIn> {
  const base = new URL(hiveUrl);
  if (!/^https?:$/.test(base.protocol)) throw new Error('the hive URL must start with http:// or https://');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const redirect = awaitRedirect(state, deps.timeoutMs ?? 5 * 60_000);
  try {
    const port = await redirect.ready;
    const start = new URL('/auth/oidc', base);
    start.search = new URLSearchParams({
      code_challenge: challenge,
      redirect_uri: `http://127.0.0.1:${port}/callback`,
      state,
    }).toString();
    await deps.openBrowser(start.href);
    const code = await redirect.code;
    const res = await (deps.fetch ?? fetch)(new URL('/graphql', base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ query: COMPLETE, variables: { code, codeVerifier: verifier } }),
    });
    const answer = (await res.json()) as CompleteAnswer;
    const session = answer.data?.completeOidcSignIn;
    if (!session) throw new Error(answer.errors?.[0]?.message ?? `the hive answered ${res.status}`);
    return { token: session.token, username: session.user.username };
  } finally {
    redirect.close();
  }
}
