import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { seriousViolations } from './support/axe.js';
import { launchChromium, signInToConsole } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';

// One's own account in the console, in Chromium against a real hive: the sessions list with one session
// signed out from another, and the password change (#13).

const run = promisify(execFile);
const docsScreenshots = path.join(repoRoot, 'docs/screenshots');
const OLD_PASSWORD = 'hanna-password-1';
const NEW_PASSWORD = 'hanna-password-2';

let hive: TestHive;
let browser: Browser;
let laptop: BrowserContext;
let phone: BrowserContext;
let page: Page;
let other: Page;

async function loginWorks(password: string): Promise<boolean> {
  const res = await fetch(`${hive.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($p: String!) { login(username: "hanna", password: $p) { token } }',
      variables: { p: password },
    }),
  });
  const body = (await res.json()) as { data?: { login?: { token: string } } };
  return typeof body.data?.login?.token === 'string';
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  await mkdir(docsScreenshots, { recursive: true });
  hive = await startTestHive();
  await graphql(
    hive.url,
    hive.adminToken,
    `mutation { createUser(input: { username: "hanna", email: "hanna@example.com", password: "${OLD_PASSWORD}" }) { id } }`,
  );
  browser = await launchChromium();
  laptop = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  phone = await browser.newContext({ viewport: { width: 400, height: 800 } });
  page = await laptop.newPage();
  other = await phone.newPage();
  await signInToConsole(page, hive.url, 'hanna', OLD_PASSWORD);
  await signInToConsole(other, hive.url, 'hanna', OLD_PASSWORD);
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

test('sessions: both listed, this one marked; signing out the other ends it there', async () => {
  await page.goto(`${hive.url}/#/hive/local/security`);
  await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
  const sessions = page.getByTestId('session');
  await sessions.nth(1).waitFor();
  assert.equal(await sessions.count(), 2);
  assert.equal(await sessions.filter({ hasText: 'this one' }).count(), 1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.equal(JSON.stringify(await seriousViolations(page), null, 1), '[]', `security (${scheme})`);
    await page.screenshot({ path: path.join(docsScreenshots, `security-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await sessions.getByRole('button', { name: /^Sign out the session from / }).click();
  await sessions.nth(1).waitFor({ state: 'detached' });
  assert.equal(await sessions.count(), 1);
  // The other device's socket is closed by the hive: it is back at the sign-in form.
  await other.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 30_000 });
});

test('400 px: the security screen has no horizontal scroll', async () => {
  await signInToConsole(other, hive.url, 'hanna', OLD_PASSWORD);
  await other.goto(`${hive.url}/#/hive/local/security`);
  await other.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
  await other.getByTestId('session').first().waitFor();
  const { scrollWidth, clientWidth } = await other.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${scrollWidth} px wide in a ${clientWidth} px window`);
  await other.screenshot({ path: path.join(docsScreenshots, 'security-400.png'), fullPage: true });
});

test('password: a wrong current one is refused; the change works and the old one no longer does', async () => {
  const form = page.getByRole('form', { name: 'Password' });
  await form.getByLabel('Current password').fill('not-my-password');
  await form.getByLabel('New password').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await form
    .getByRole('alert')
    .getByText(/wrong password/)
    .waitFor();
  assert.equal(await loginWorks(NEW_PASSWORD), false, 'nothing changed');

  await form.getByLabel('Current password').fill(OLD_PASSWORD);
  await form.getByLabel('New password').fill(NEW_PASSWORD);
  await form.getByRole('button', { name: 'Change password' }).click();
  await form
    .getByRole('status')
    .getByText(/Password changed/)
    .waitFor();
  assert.equal(await loginWorks(NEW_PASSWORD), true);
  assert.equal(await loginWorks(OLD_PASSWORD), false);
  // this session stays; the other device is signed out
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Security' }).waitFor();
  await other.getByRole('button', { name: 'Sign in', exact: true }).waitFor({ timeout: 30_000 });
});
