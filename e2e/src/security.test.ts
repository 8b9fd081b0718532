import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestHive, totpCode, type TestHive } from '@borg-hive/server/testing';
import { launchChromium, screenshot } from './support/browser.js';
import { rendererIndex, repoRoot } from './support/paths.js';

const run = promisify(execFile);

let hive: TestHive;
let browser: Browser;
let page: Page;

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

async function signIn(): Promise<void> {
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

test('console: enrol TOTP with a QR code, sign in with the code, see it in the audit log', async (t) => {
  let secret = '';
  await t.test('enrols from the Security screen and shows the recovery codes once', async () => {
    await page.goto(hive.url);
    await signIn();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await page.getByRole('img', { name: 'QR code of the TOTP secret' }).waitFor();
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes').locator('li');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10);
    await screenshot(page, 'security-recovery-codes');
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByText(/On: sign-in asks for a code\. 10 recovery code/).waitFor();
  });

  await t.test('sign-in asks for the code after the password; a wrong one is refused', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn();
    const code = page.getByLabel(/Code from your authenticator app/);
    await code.waitFor();
    await code.fill('000000' === totpCode(secret, Date.now()) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').waitFor();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /wrong or used code/);
    // the next step's code: the current one may be the one that confirmed enrolment (used)
    await code.fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // back where the sign-out left
    await page.getByRole('heading', { name: 'Security' }).waitFor();
  });

  await t.test('the audit log shows the enrolment and the sign-ins', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.locator('table tbody tr');
    await rows.filter({ hasText: 'confirmTotp' }).first().waitFor();
    await rows.filter({ hasText: 'OTP_REQUIRED' }).first().waitFor();
    await rows.filter({ hasText: 'FAILED' }).first().waitFor();
    await page.getByLabel('Operation').fill('signIn');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table tbody tr')].every((r) => r.textContent?.includes('signIn')),
    );
    await screenshot(page, 'audit-log');
    const text = (await page.locator('table').textContent()) ?? '';
    assert.ok(!text.includes(ADMIN_PASSWORD), 'no password on the page');
  });
});
