import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestHive, totpCode, type TestHive } from '@borg-hive/server/testing';
import { launchChromium, screenshot } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';

const run = promisify(execFile);

let home: TestHive;
let office: TestHive;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function createRepository(hive: TestHive, name: string): Promise<string> {
  const { createRepository } = await graphql<{ createRepository: { id: string } }>(
    hive.url,
    hive.adminToken,
    'mutation($i: CreateRepositoryInput!) { createRepository(input: $i) { id } }',
    { i: { name } },
  );
  return createRepository.id;
}

const stored = (which: 'localStorage' | 'sessionStorage', on: Page = page): Promise<string> =>
  on.evaluate((storage) => JSON.stringify({ ...window[storage] }), which);

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  office = await startTestHive();
  // The console served by home may call office: its CSP lists office's origin.
  home = await startTestHive({ env: { BORGHIVE_CONSOLE_HIVES: new URL(office.url).origin } });
  await createRepository(home, 'home-laptop');
  await createRepository(office, 'office-server');
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await Promise.all([home?.dispose(), office?.dispose()]);
});

test('the web console watches a second hive, its sign-in kept only when asked', async (t) => {
  await t.test('signs in to its own hive, remembered on this device', async () => {
    await page.goto(home.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Remember on this device').check();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByTestId('repository-row').filter({ hasText: 'home-laptop' }).waitFor();
  });

  await t.test('a wrong password for the other hive is refused and nothing is stored', async () => {
    await page.getByRole('link', { name: 'Manage hives' }).click();
    await page.getByRole('heading', { name: 'Hives' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Office');
    await page.getByLabel('URL').fill(office.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Add hive' }).click();
    await page.getByRole('alert').waitFor();
    assert.doesNotMatch(await stored('localStorage'), /borg-hive\.hives/);
    assert.doesNotMatch(await stored('sessionStorage'), /borg-hive\.hives/);
  });

  await t.test('adds the office hive (not remembered): one merged overview across both', async () => {
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Add hive' }).click();
    await page.getByRole('list', { name: 'Hives' }).getByText('Office', { exact: true }).waitFor();
    await page.getByRole('list', { name: 'Hives' }).getByText('connected').nth(1).waitFor();
    await screenshot(page, 'hives-web');
    assert.match(await stored('sessionStorage'), /borg-hive\.hives/);
    assert.doesNotMatch(await stored('localStorage'), /borg-hive\.hives/);
    await page.getByRole('link', { name: 'Overview' }).click();
    const rows = page.getByTestId('repository-row');
    await rows.filter({ hasText: 'office-server' }).waitFor();
    await rows.filter({ hasText: 'home-laptop' }).waitFor();
    assert.match((await rows.filter({ hasText: 'office-server' }).textContent()) ?? '', /Office/);
    await screenshot(page, 'overview-two-hives');
  });

  await t.test('a new tab keeps the remembered sign-in, not the tab-only one', async () => {
    const second = await context.newPage();
    await second.goto(home.url);
    await second.getByTestId('repository-row').filter({ hasText: 'home-laptop' }).waitFor();
    assert.equal(await second.getByTestId('repository-row').filter({ hasText: 'office-server' }).count(), 0);
    await second.close();
  });

  await t.test('remembered, the office hive follows a copied link into a new tab', async () => {
    await page.getByRole('link', { name: 'Manage hives' }).click();
    await page.getByRole('button', { name: 'Remove hive Office' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Office');
    await page.getByLabel('URL').fill(office.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByLabel('Remember on this device').check();
    await page.getByRole('button', { name: 'Add hive' }).click();
    await page.getByRole('list', { name: 'Hives' }).getByText('Office', { exact: true }).waitFor();
    assert.match(await stored('localStorage'), /borg-hive\.hives/);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('link', { name: 'office-server' }).click();
    await page.getByTestId('repository-url').waitFor();
    const link = page.url();
    const second = await context.newPage();
    await second.goto(link);
    await second.getByRole('heading', { name: /office-server/ }).waitFor();
    await second.close();
  });

  await t.test(
    'an account with TOTP on the other hive: the form asks for the code, then adds the hive',
    async () => {
      const tess = await office.newUser('tess');
      const secret = (
        await office.gql<{ enableTotp: { secret: string } }>(tess.token, 'mutation{enableTotp{secret}}')
      ).data!.enableTotp.secret;
      const on = await office.gql(tess.token, 'mutation($c:String!){confirmTotp(code:$c)}', {
        c: totpCode(secret, Date.now()),
      });
      assert.equal(on.errors, undefined);
      await page.getByRole('link', { name: 'Manage hives' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Office as Tess');
      await page.getByLabel('URL').fill(office.url);
      await page.getByLabel('Username').fill('tess');
      await page.getByLabel('Password').fill('tess-password');
      await page.getByRole('button', { name: 'Add hive' }).click();
      const code = page.getByLabel('Code from your authenticator app (or a recovery code)');
      await code.waitFor();
      assert.equal(await page.locator('form').getByRole('alert').count(), 0, 'the question is no error');
      // the next time step: the code the enrolment used is not replayed
      await code.fill(totpCode(secret, Date.now() + 30_000));
      await page.getByRole('button', { name: 'Confirm code' }).click();
      await page.getByRole('list', { name: 'Hives' }).getByText('Office as Tess', { exact: true }).waitFor();
      assert.equal(await code.count(), 0, 'the code field is gone with the added hive');
    },
  );
});
