import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { launchChromium, screenshot, signInToConsole } from './support/browser.js';
import { rendererIndex, repoRoot } from './support/paths.js';

const run = promisify(execFile);

let hive: TestHive;
let browser: Browser;
let page: Page;

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive();
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
});
after(async () => {
  await browser?.close();
  await hive?.dispose();
});

/** The console's channel form in real Chromium: a new kind (Gotify) with its rules (#16). */
test('web console: creates a Gotify channel that sends one message per incident', async () => {
  await signInToConsole(page, hive.url);
  await page.getByRole('link', { name: 'Notifications' }).click();
  await page.getByLabel('Name').fill('gotify on-call');
  await page.getByLabel('Kind').selectOption('GOTIFY');
  await page.getByRole('textbox', { name: 'Server' }).fill('https://push.example.org');
  await page.getByLabel('Application token').fill('AbCdEf.123');
  await page.getByLabel('Every failed run').check();
  await page.getByLabel(/Repeat a missing-backup alert/).uncheck();
  await page.getByRole('button', { name: 'Create channel' }).click();
  await page.getByText('gotify on-call').first().waitFor();
  await screenshot(page, 'channel-gotify');
  const r = await hive.gql<{
    notificationChannels: {
      name: string;
      kind: string;
      settings: Record<string, unknown>;
      rules: Record<string, unknown>;
    }[];
  }>(hive.adminToken, '{notificationChannels{name kind settings rules}}');
  const channel = r.data?.notificationChannels.find((c) => c.name === 'gotify on-call');
  assert.equal(channel?.kind, 'GOTIFY');
  assert.deepEqual(channel?.settings, { server: 'https://push.example.org/', token: '[redacted]' });
  assert.deepEqual(channel?.rules.events, ['STALE', 'FAILED', 'RECOVERED', 'DELETIONS', 'RUN_FAILED']);
  assert.equal(channel?.rules.repeat, false);
});
