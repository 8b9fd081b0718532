import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../adapters/clock.js';
import { dialects } from '../../test-support/databases.js';
import { startTestHive, type TestHive } from '../../test-support/hive.js';

/** A loopback port nobody listens on: the provider does not answer. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

for (const dialect of dialects) {
  describe(`GET /auth/oidc: refusals go back to the app with the reason; starts are throttled per address (${dialect})`, () => {
    let hive: TestHive;
    const clock = new ManualClock(new Date(Date.UTC(2026, 11, 6, 3)));
    before(async () => {
      hive = await startTestHive({
        dialect,
        overrides: { clock },
        env: {
          BORGHIVE_OIDC_ISSUER: `http://127.0.0.1:${await closedPort()}`,
          BORGHIVE_OIDC_CLIENT_ID: 'borg-hive',
          BORGHIVE_OIDC_NAME: 'Test SSO',
        },
      });
    });
    after(() => hive.dispose());

    const start = async (query: Record<string, string>) => {
      const res = await fetch(`${hive.url}/auth/oidc?${new URLSearchParams(query).toString()}`, {
        redirect: 'manual',
      });
      return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
    };
    const reasonOf = (location: string) =>
      new URLSearchParams(new URL(location).hash.slice(1)).get('oidc-error') ?? '';

    it('an unreachable provider: back to the sign-in page, or to the desktop app, saying so', async () => {
      const web = await start({ code_challenge: CHALLENGE });
      assert.equal(web.status, 302);
      assert.ok(web.location.startsWith(`${hive.url}/#oidc-error=`), web.location);
      assert.match(reasonOf(web.location), /^Test SSO does not answer at http:\/\/127\.0\.0\.1:\d+/);
      const app = await start({
        code_challenge: CHALLENGE,
        redirect_uri: 'http://127.0.0.1:40123/callback',
        state: 'app-state-1',
      });
      const back = new URL(app.location);
      assert.equal(`${back.origin}${back.pathname}`, 'http://127.0.0.1:40123/callback');
      assert.equal(back.searchParams.get('state'), 'app-state-1');
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.match(back.searchParams.get('error_description') ?? '', /Test SSO does not answer/);
      // a redirect that is not loopback is never followed, even to report a failure
      const evil = await start({ code_challenge: CHALLENGE, redirect_uri: 'https://evil.example/cb' });
      assert.equal(evil.status, 400);
      assert.match(evil.body, /only http:\/\/127\.0\.0\.1/);
    });

    it('30 starts per address, then 15 minutes locked (a malformed request counts nothing)', async () => {
      for (let i = 0; i < 5; i++) assert.equal((await start({ code_challenge: 'short' })).status, 400);
      // the first test made two starts already: 28 more
      const reasons: string[] = [];
      for (let i = 0; i < 28; i++)
        reasons.push(reasonOf((await start({ code_challenge: CHALLENGE })).location));
      assert.ok(
        reasons.every((r) => /does not answer/.test(r)),
        reasons.join('\n'),
      );
      const refused = reasonOf((await start({ code_challenge: CHALLENGE })).location);
      assert.match(refused, /too many sign-in attempts from your address; try again in 15 minute\(s\)/);
      clock.advance(15 * 60_000 + 1_000);
      assert.match(reasonOf((await start({ code_challenge: CHALLENGE })).location), /does not answer/);
      assert.match(
        reasonOf((await start({ code_challenge: CHALLENGE })).location),
        /too many sign-in attempts/,
      );
    });
  });
}
