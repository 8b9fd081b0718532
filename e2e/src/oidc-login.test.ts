import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestHive, type TestHive } from '@borg-hive/server/testing';
import { launchChromium, screenshot } from './support/browser.js';
import { type IssuerAccount, TestIssuer } from './support/oidc-issuer.js';
import { rendererIndex, repoRoot } from './support/paths.js';

const run = promisify(execFile);

let issuer: TestIssuer;
let hive: TestHive;
let browser: Browser;
const pages: Page[] = [];

const alice: IssuerAccount = {
  sub: 'sub-alice-0001',
  preferred_username: 'alice',
  email: 'alice@example.test',
  email_verified: true,
  groups: ['backup-team'],
};
const bob: IssuerAccount = {
  sub: 'sub-bob-0002',
  preferred_username: 'bob',
  email: 'bob@example.test',
  email_verified: true,
  groups: ['backup-team', 'hive-admins'],
};

/** A fresh browser context: a fresh session at the provider, so `signInAs` decides who signs in. */
async function freshPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  pages.push(page);
  return page;
}

/** Signs in through the console's button as `account`; the console lands on the overview. */
async function signInWithSso(account: IssuerAccount): Promise<Page> {
  issuer.signInAs(account);
  const page = await freshPage();
  await page.goto(hive.url);
  await page.getByRole('button', { name: 'Sign in with Test SSO' }).click();
  return page;
}

async function refusal(page: Page): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}

async function userOf(username: string) {
  const r = await hive.gql<{ users: { username: string; isAdmin: boolean; groups: { name: string }[] }[] }>(
    hive.adminToken,
    '{users{username isAdmin groups{name}}}',
  );
  return r.data?.users.find((u) => u.username === username) ?? null;
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  issuer = await TestIssuer.listen();
  hive = await startTestHive({ env: issuer.hiveEnv() });
  issuer.configure([`${hive.url}/auth/oidc/callback`]);
  const group = await hive.gql(hive.adminToken, 'mutation{createGroup(name:"backup-team"){id}}');
  assert.equal(group.errors, undefined);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
  await issuer?.close();
});

test('console: sign-in with a real OpenID provider (oidc-provider) in Chromium', async (t) => {
  await t.test('first sign-in makes the account, with the groups of the groups claim', async () => {
    assert.equal(await userOf('alice'), null, 'no account before');
    const page = await signInWithSso(alice);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(new URL(page.url()).hash, '', 'the one-time code left the address bar');
    const made = await userOf('alice');
    assert.deepEqual(made, { username: 'alice', isAdmin: false, groups: [{ name: 'backup-team' }] });
    assert.equal(await page.getByRole('link', { name: 'Users' }).count(), 0, 'not an admin');
    await screenshot(page, 'oidc-signed-in');
  });

  await t.test('the next sign-in finds the same account by sub (no second account)', async () => {
    const page = await signInWithSso({ ...alice, preferred_username: 'alice-renamed', groups: [] });
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const r = await hive.gql<{ users: { username: string }[] }>(hive.adminToken, '{users{username}}');
    assert.deepEqual(
      r.data?.users.map((u) => u.username).filter((u) => u.startsWith('alice')),
      ['alice'],
    );
    assert.deepEqual((await userOf('alice'))?.groups, [], 'the provider owns the groups: now none');
  });

  await t.test('the admin group of the claim makes an admin', async () => {
    const page = await signInWithSso(bob);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Users' }).waitFor();
    const made = await userOf('bob');
    assert.equal(made?.isAdmin, true);
    assert.deepEqual(made?.groups, [{ name: 'backup-team' }]);
  });

  await t.test('a tampered ID token (payload changed, signature kept) is refused', async () => {
    issuer.rewrite = { resign: false, payload: (c) => ({ ...c, groups: ['hive-admins'] }) };
    try {
      const page = await signInWithSso({ ...alice, sub: 'sub-mallory-0003', preferred_username: 'mallory' });
      assert.match(await refusal(page), /signature does not match Test SSO's keys/);
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(await userOf('mallory'), null, 'no account made');
    } finally {
      issuer.rewrite = null;
    }
  });

  await t.test('an ID token of another issuer (validly signed) is refused', async () => {
    issuer.rewrite = { resign: true, payload: (c) => ({ ...c, iss: 'https://evil.example.test' }) };
    try {
      const page = await signInWithSso({ ...alice, sub: 'sub-mallory-0004', preferred_username: 'mallory' });
      assert.match(
        await refusal(page),
        new RegExp(`issued by "https://evil.example.test", not by ${issuer.url.replace(/\./g, '\\.')}`),
      );
      assert.equal(await userOf('mallory'), null);
    } finally {
      issuer.rewrite = null;
    }
  });

  await t.test('a wrong state (an answer this hive did not ask for) is refused', async () => {
    issuer.returnHook = { state: 'a-state-this-hive-never-issued' };
    try {
      const page = await signInWithSso(alice);
      assert.match(await refusal(page), /does not belong to a sign-in this hive started/);
    } finally {
      issuer.returnHook = null;
    }
  });

  await t.test('an expired authorization code is refused', async () => {
    issuer.codeTtlSeconds = 1;
    try {
      // the browser takes its time coming back from the provider: the code is dead by then
      issuer.returnHook = { delayMs: 3_000 };
      const page = await signInWithSso(alice);
      assert.match(
        await refusal(page),
        /Test SSO refused the sign-in code \(it expired or was used already\)/,
      );
    } finally {
      issuer.returnHook = null;
      issuer.codeTtlSeconds = 60;
    }
  });

  await t.test('a clock far off is reported as such, in both directions', async () => {
    const shift = (seconds: number) => (c: Record<string, unknown>) => ({
      ...c,
      iat: (c['iat'] as number) + seconds,
      exp: (c['exp'] as number) + seconds,
    });
    for (const [seconds, words] of [
      [2 * 3600, /Test SSO's clock is about 2 hours ahead of this hive's clock/],
      [-2 * 3600, /Test SSO's clock is about 2 hours behind this hive's clock/],
    ] as const) {
      issuer.rewrite = { resign: true, payload: shift(seconds) };
      try {
        const page = await signInWithSso(alice);
        const text = await refusal(page);
        assert.match(text, /the clocks are off/);
        assert.match(text, words);
        assert.match(text, /BORGHIVE_OIDC_CLOCK_TOLERANCE_SECONDS/);
      } finally {
        issuer.rewrite = null;
      }
    }
    const last = pages.at(-1);
    if (last) await screenshot(last, 'oidc-clock-refused');
  });

  await t.test('the refusals are in the audit trail, with their reasons', async () => {
    const r = await hive.gql<{
      auditLog: { entries: { via: string | null; outcome: string; details: string | null }[] };
    }>(hive.adminToken, '{auditLog(filter:{operation:"signIn"}, first:100){entries{via outcome details}}}');
    const oidc = (r.data?.auditLog.entries ?? []).filter((i) => i.via === 'oidc');
    assert.ok(oidc.filter((i) => i.outcome === 'OK').length >= 3, JSON.stringify(r));
    const reasons = oidc.filter((i) => i.outcome === 'FAILED').map((i) => i.details ?? '');
    for (const reason of [/signature/, /issued by/, /does not belong/, /expired/, /clocks are off/])
      assert.ok(
        reasons.some((d) => reason.test(d)),
        `${reason} among ${reasons.join('\n')}`,
      );
  });
});

test('console: an unreachable provider is named on the sign-in page; admins still sign in with their password', async () => {
  // a port that was free a moment ago and has nobody listening now
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  const down = await startTestHive({
    env: issuer.hiveEnv({ BORGHIVE_OIDC_ONLY: 'true' }, `http://127.0.0.1:${port}`),
  });
  try {
    const carol = await down.gql(
      down.adminToken,
      'mutation{createUser(input:{username:"carol",password:"carol-password",email:"carol@example.test"}){id}}',
    );
    assert.equal(carol.errors, undefined);
    const page = await freshPage();
    await page.goto(down.url);
    const status = page.getByRole('status').filter({ hasText: 'Test SSO does not answer' });
    await status.waitFor();
    assert.match((await status.textContent()) ?? '', /Administrators can sign in with their password/);
    assert.equal(
      await page.getByRole('button', { name: 'Sign in with Test SSO' }).isDisabled(),
      true,
      'the button waits for the provider',
    );
    await screenshot(page, 'oidc-provider-down');
    // a non-admin's password is refused (BORGHIVE_OIDC_ONLY), with the reason
    await page.getByLabel('Username').fill('carol');
    await page.getByLabel('Password').fill('carol-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.locator('form').getByRole('alert').filter({ hasText: 'password sign-in is off' }).waitFor();
    // the admin's password works
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  } finally {
    await down.dispose();
  }
});
