import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startTestHive, totpCode, type TestHive } from '@borg-hive/server/testing';
import { type IssuerAccount, TestIssuer } from './support/oidc-issuer.js';
import { repoRoot } from './support/paths.js';

// The desktop app's main-process modules, as built (plain Node: Electron only supplies shell.openExternal).
interface LoopbackModule {
  signInThroughBrowser(
    hiveUrl: string,
    deps: { openBrowser(url: string): Promise<void>; timeoutMs?: number },
  ): Promise<{ token: string; username: string }>;
}
type PasswordSignIn = { token: string; username: string } | { otpRequired: true; message: string };
interface SignInModule {
  signInWithPassword(
    hiveUrl: string,
    credentials: { username: string; password: string; otp?: string },
  ): Promise<PasswordSignIn>;
  singleSignOnOf(hiveUrl: string): Promise<string>;
}

const built = (file: string) => `${repoRoot}desktop/dist/electron/main/${file}`;

async function load<T>(file: string): Promise<T> {
  assert.ok(existsSync(built(file)), `${file} is built (npx tsc -b)`);
  return (await import(pathToFileURL(built(file)).href)) as T;
}

/**
 * The system browser, played by Node: follows the redirects from the hive to the provider and back to
 * the app's loopback, keeping each site's cookies (the hive's state cookie, the provider's session).
 */
function systemBrowser(visited: URL[] = []) {
  return async (start: string): Promise<void> => {
    const jar = new Map<string, Map<string, string>>();
    let url = new URL(start);
    for (let hop = 0; hop < 20; hop++) {
      visited.push(url);
      const cookies = jar.get(url.host) ?? new Map<string, string>();
      const res = await fetch(url, {
        redirect: 'manual',
        headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {},
      });
      for (const line of res.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1);
        if (value === '' || /max-age=0|expires=[^;]*1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
      jar.set(url.host, cookies);
      const location = res.headers.get('location');
      await res.arrayBuffer();
      if (res.status < 300 || res.status >= 400 || !location) return;
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  };
}

const dora: IssuerAccount = {
  sub: 'sub-dora-0001',
  preferred_username: 'dora',
  email: 'dora@example.test',
  email_verified: true,
  groups: [],
};

describe('desktop app, main process: signing in to a hive (real hive, real oidc-provider)', () => {
  let issuer: TestIssuer;
  let hive: TestHive;
  let loopback: LoopbackModule;
  let signIn: SignInModule;

  before(async () => {
    loopback = await load<LoopbackModule>('oidc-loopback.js');
    signIn = await load<SignInModule>('hive-sign-in.js');
    issuer = await TestIssuer.listen();
    hive = await startTestHive({ env: issuer.hiveEnv() });
    issuer.configure([`${hive.url}/auth/oidc/callback`]);
  });
  after(async () => {
    await hive?.dispose();
    await issuer?.close();
  });

  const me = async (token: string) =>
    (await hive.gql<{ me: { username: string } }>(token, '{me{username}}')).data?.me.username;

  it('RFC 8252: the system browser, a loopback redirect, and a session for a new account', async () => {
    assert.equal(await signIn.singleSignOnOf(hive.url), 'Test SSO');
    issuer.signInAs(dora);
    const visited: URL[] = [];
    const session = await loopback.signInThroughBrowser(hive.url, {
      openBrowser: async (url) => void systemBrowser(visited)(url),
      timeoutMs: 60_000,
    });
    assert.equal(session.username, 'dora');
    assert.equal(await me(session.token), 'dora');
    const hosts = new Set(visited.map((u) => u.origin));
    assert.ok(hosts.has(issuer.url), 'the browser went to the provider');
    const last = visited.at(-1)!;
    assert.equal(last.hostname, '127.0.0.1');
    assert.equal(last.pathname, '/callback');
    assert.ok(last.searchParams.get('code'), 'the hive sent the one-time code to the loopback');
  });

  it('a refused sign-in ends the wait with the hive’s reason (a clock far off, a forged ID token)', async () => {
    for (const [rewrite, reason] of [
      [
        {
          resign: true,
          payload: (c: Record<string, unknown>) => ({ ...c, iat: (c['iat'] as number) + 7200 }),
        },
        /sign-in refused: the clocks are off: Test SSO's clock is about 2 hours ahead/,
      ],
      [
        { resign: false, payload: (c: Record<string, unknown>) => ({ ...c, sub: 'sub-admin' }) },
        /sign-in refused: the ID token's signature does not match Test SSO's keys/,
      ],
    ] as const) {
      issuer.rewrite = rewrite;
      try {
        await assert.rejects(
          loopback.signInThroughBrowser(hive.url, {
            openBrowser: async (url) => void systemBrowser()(url),
            timeoutMs: 60_000,
          }),
          reason,
        );
      } finally {
        issuer.rewrite = null;
      }
    }
  });

  it('a hive without single sign-on is said at once, before any browser opens', async () => {
    const plain = await startTestHive();
    try {
      await assert.rejects(signIn.singleSignOnOf(plain.url), /this hive has no single sign-on/);
    } finally {
      await plain.dispose();
    }
  });

  it('password sign-in: the second factor is asked, then a TOTP code signs in; a wrong one is refused', async () => {
    const user = await hive.newUser('erik');
    const enrolment = await hive.gql<{ enableTotp: { secret: string } }>(
      user.token,
      'mutation{enableTotp{secret}}',
    );
    const secret = enrolment.data!.enableTotp.secret;
    const confirmed = await hive.gql(user.token, 'mutation($c:String!){confirmTotp(code:$c)}', {
      c: totpCode(secret, Date.now()),
    });
    assert.equal(confirmed.errors, undefined);

    const credentials = { username: 'erik', password: 'erik-password' };
    const asked = await signIn.signInWithPassword(hive.url, credentials);
    assert.ok('otpRequired' in asked, JSON.stringify(asked));
    assert.match(asked.message, /authenticator app/);
    const wrongCode = totpCode(secret, Date.now()) === '000000' ? '111111' : '000000';
    await assert.rejects(signIn.signInWithPassword(hive.url, { ...credentials, otp: wrongCode }), /code/);
    // the next time step: the code the enrolment used is not replayed
    const done = await signIn.signInWithPassword(hive.url, {
      ...credentials,
      otp: totpCode(secret, Date.now() + 30_000),
    });
    assert.ok('token' in done, JSON.stringify(done));
    assert.equal(await me(done.token), 'erik');
    await assert.rejects(
      signIn.signInWithPassword(hive.url, { username: 'erik', password: 'wrong' }),
      /wrong user name or password/,
    );
  });
});
