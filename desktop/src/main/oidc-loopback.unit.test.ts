import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { signInThroughBrowser } from './oidc-loopback.js';

/** A stand-in for the browser + hive: follows the start URL the way the hive's redirect would. */
function browserAnswering(answer: (start: URL) => Record<string, string>, seen: URL[] = []) {
  return async (url: string): Promise<void> => {
    const start = new URL(url);
    seen.push(start);
    const back = new URL(start.searchParams.get('redirect_uri') ?? '');
    for (const [k, v] of Object.entries(answer(start))) back.searchParams.set(k, v);
    // not awaited by the app: the browser goes on by itself
    void fetch(back).then((r) => r.text());
  };
}

it('starts on 127.0.0.1 with PKCE and a state, and exchanges the code with the verifier', async () => {
  const seen: URL[] = [];
  let exchanged: { code: string; codeVerifier: string } | null = null;
  const result = await signInThroughBrowser('http://hive.test:4000', {
    openBrowser: browserAnswering(
      (s) => ({ code: 'one-time', state: s.searchParams.get('state') ?? '' }),
      seen,
    ),
    fetch: async (_url, init) => {
      exchanged = (JSON.parse(init?.body as string) as { variables: { code: string; codeVerifier: string } })
        .variables;
      return Response.json({ data: { completeOidcSignIn: { token: 'bhs_x', user: { username: 'alice' } } } });
    },
  });
  assert.deepEqual(result, { token: 'bhs_x', username: 'alice' });
  const start = seen[0]!;
  assert.equal(start.origin + start.pathname, 'http://hive.test:4000/auth/oidc');
  assert.match(start.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  const sent = exchanged as { code: string; codeVerifier: string } | null;
  assert.equal(sent?.code, 'one-time');
  assert.equal(
    createHash('sha256')
      .update(sent?.codeVerifier ?? '')
      .digest('base64url'),
    start.searchParams.get('code_challenge'),
  );
});

it('ignores a redirect with another state and reports the error the hive sent', async () => {
  await assert.rejects(
    signInThroughBrowser('http://hive.test:4000', {
      openBrowser: async (url) => {
        const start = new URL(url);
        const back = new URL(start.searchParams.get('redirect_uri') ?? '');
        back.searchParams.set('code', 'stolen');
        back.searchParams.set('state', 'not-ours');
        assert.equal((await fetch(back)).status, 404);
        await browserAnswering((s) => ({
          error: 'access_denied',
          error_description: 'wrong issuer',
          state: s.searchParams.get('state') ?? '',
        }))(url);
      },
      fetch: () => Promise.reject(new Error('must not exchange')),
    }),
    /sign-in refused: wrong issuer/,
  );
});

it('gives up when the browser never comes back, and refuses a hive URL that is not http(s)', async () => {
  await assert.rejects(
    signInThroughBrowser('http://hive.test:4000', { openBrowser: async () => {}, timeoutMs: 50 }),
    /did not come back in time/,
  );
  await assert.rejects(signInThroughBrowser('file:///etc', { openBrowser: async () => {} }), /http/);
});
