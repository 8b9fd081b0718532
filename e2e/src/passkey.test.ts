import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestHive, type TestHive } from '@borg-hive/server/testing';
import { launchChromium, screenshot } from './support/browser.js';
import { rendererIndex, repoRoot } from './support/paths.js';

const run = promisify(execFile);
/** One of this test's own ports: WebAuthn needs a name (localhost), not 127.0.0.1, and a fixed origin. */
const PORT = 26101;
const ORIGIN = `http://localhost:${PORT}`;

let hive: TestHive;
let browser: Browser;
let page: Page;
let cdp: CDPSession;
let authenticatorId: string;

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  // the default relying party of a hive at http://127.0.0.1:<port> is localhost, origin http://localhost:<port>
  hive = await startTestHive({ env: { BORGHIVE_PORT: String(PORT) } });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  // Chromium's virtual authenticator: a platform authenticator with resident keys that verifies the user
  cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  }));
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

const signOut = () => page.getByRole('navigation').getByRole('button', { name: 'Sign out' }).click();
const signedIn = () => page.getByRole('heading', { name: 'Overview' }).waitFor();

async function withPassword(): Promise<void> {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('console: passkeys with Chromium’s virtual authenticator', async (t) => {
  await t.test('registers a passkey from the Security screen', async () => {
    await page.goto(ORIGIN);
    await withPassword();
    await signedIn();
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByText(/None: a passkey signs you in without a password/).waitFor();
    await page.getByLabel('Name of the new passkey').fill('virtual laptop');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Passkey added; your other sessions ended.').waitFor();
    await page.getByTestId('passkey-row').filter({ hasText: 'virtual laptop' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0]!.isResidentCredential, true, 'a discoverable credential');
    assert.equal(credentials[0]!.rpId, 'localhost');
    await screenshot(page, 'security-passkeys');
  });

  await t.test('signs in without a password (discoverable credential, user verified)', async () => {
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.ok(credentials[0]!.signCount >= 1, 'the authenticator signed');
  });

  await t.test('is the second factor after the password (in place of a code)', async () => {
    await signOut();
    await withPassword();
    await page.getByText('Confirm with your passkey to sign in.').waitFor();
    assert.equal(
      await page.getByLabel(/Code from your authenticator app/).count(),
      0,
      'no TOTP: no code field',
    );
    await page.getByRole('button', { name: 'Use your passkey' }).click();
    await page.getByRole('heading', { name: 'Security' }).waitFor();
  });

  await t.test('the audit log shows the passkey sign-ins and the registration', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    const rows = page.locator('table tbody tr');
    await rows.filter({ hasText: 'finishPasskeyRegistration' }).first().waitFor();
    await rows.filter({ hasText: 'OTP_REQUIRED' }).first().waitFor();
    assert.ok((await rows.filter({ hasText: 'signIn' }).filter({ hasText: 'OK' }).count()) >= 3);
  });

  await t.test('a deleted passkey no longer signs in, and the password alone does again', async () => {
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('button', { name: 'Delete passkey virtual laptop' }).click();
    await page.getByText(/None: a passkey signs you in without a password/).waitFor();
    await signOut();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /not registered on this hive/);
    await withPassword();
    // back where the sign-out left
    await page.getByRole('heading', { name: 'Security' }).waitFor();
  });
});
