import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { eventually, startTestHive, type TestHive } from '@borg-hive/server/testing';
import { seriousViolations } from './support/axe.js';
import { launchChromium, screenshot, signInToConsole } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';

// The channel screen in Chromium against a real hive and a real local webhook receiver: create with
// event selection, quiet hours, a digest and a repository limit; edit; disable and enable; "Send test"
// through the stored channel (logged); delete after confirming (#13, #16).

const run = promisify(execFile);
const docsScreenshots = path.join(repoRoot, 'docs/screenshots');
const SECRET = 'signing-secret-of-ops';

interface Received {
  url: string;
  body: string;
  signature: string | undefined;
}

let hive: TestHive;
let browser: Browser;
let page: Page;
let receiver: Server;
let receiverUrl: string;
let failing = false;
const received: Received[] = [];
const repos: Record<string, string> = {};

interface StoredChannel {
  id: string;
  name: string;
  enabled: boolean;
  settings: Record<string, unknown>;
  rules: { events: string[]; repeat: boolean; quietHours: unknown; digestAt: unknown; timeZone: string };
  repositories: { name: string }[];
}

async function channels(): Promise<StoredChannel[]> {
  const { notificationChannels } = await graphql<{ notificationChannels: StoredChannel[] }>(
    hive.url,
    hive.adminToken,
    '{ notificationChannels { id name enabled settings rules repositories { name } } }',
  );
  return notificationChannels;
}

async function channelNamed(name: string): Promise<StoredChannel | undefined> {
  return (await channels()).find((c) => c.name === name);
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  await mkdir(docsScreenshots, { recursive: true });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const signature = req.headers['x-borghive-signature'];
      received.push({
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
        signature: Array.isArray(signature) ? signature[0] : signature,
      });
      res.writeHead(failing ? 503 : 204).end(failing ? 'receiver-internal-detail' : undefined);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  hive = await startTestHive({ env: { BORGHIVE_OUTBOUND_ALLOW: '127.0.0.1/32' } });
  for (const name of ['laptop', 'server']) {
    const { createRepository } = await graphql<{ createRepository: { id: string } }>(
      hive.url,
      hive.adminToken,
      'mutation($n: String!) { createRepository(input: { name: $n, alertAfterDays: 1 }) { id } }',
      { n: name },
    );
    repos[name] = createRepository.id;
  }
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signInToConsole(page, hive.url);
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
  await new Promise((resolve) => receiver?.close(resolve));
});

test('create: events, quiet hours, digest and a repository limit are stored as chosen', async () => {
  await page.goto(`${hive.url}/#/hive/local/channels`);
  await page.getByRole('heading', { level: 1, name: 'Notification channels' }).waitFor();
  const form = page.getByRole('form', { name: 'New channel' });
  await form.getByLabel('Name').fill('ops hook');
  await form.getByLabel('Kind').selectOption('WEBHOOK');
  await form.getByRole('textbox', { name: 'URL' }).fill(`${receiverUrl}/hook`);
  await form.getByLabel('Signing secret (optional)').fill(SECRET);
  await form.getByLabel('Every failed run').check();
  await form.getByLabel('Recovered').uncheck();
  await form.getByLabel('Quiet hours from').fill('22:00');
  await form.getByLabel('Quiet hours until').fill('07:00');
  await form.getByLabel('Daily digest at').fill('08:30');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel(/Only for these repositories/).selectOption([repos['laptop']!]);
  await form.getByRole('button', { name: 'Create channel' }).click();
  await page.getByRole('row', { name: /ops hook/ }).waitFor();
  const stored = await channelNamed('ops hook');
  assert.ok(stored);
  assert.deepEqual(stored.rules.events, ['STALE', 'FAILED', 'DELETIONS', 'RUN_FAILED']);
  assert.deepEqual(stored.rules.quietHours, { start: '22:00', end: '07:00' });
  assert.equal(stored.rules.digestAt, '08:30');
  assert.equal(stored.rules.timeZone, 'Europe/Berlin');
  assert.deepEqual(
    stored.repositories.map((r) => r.name),
    ['laptop'],
  );
  assert.equal(stored.settings['secret'], '[redacted]');
  assert.equal(
    await page
      .getByRole('row', { name: /ops hook/ })
      .getByText('laptop')
      .count(),
    1,
  );
});

test('edit: the form opens with what is stored; changes are saved, the secret kept', async () => {
  await page.getByRole('button', { name: 'Edit channel ops hook' }).click();
  const form = page.getByRole('form', { name: 'Edit channel ops hook' });
  await form.waitFor();
  assert.equal(await form.getByLabel('Quiet hours from').inputValue(), '22:00');
  assert.equal(await form.getByLabel('Daily digest at').inputValue(), '08:30');
  assert.equal(await form.getByLabel('Recovered').isChecked(), false);
  assert.equal(await form.getByLabel('Every failed run').isChecked(), true);
  await form.getByLabel('Name').fill('ops webhook');
  await form.getByLabel('Every failed run').uncheck();
  await form.getByLabel('Quiet hours from').fill('');
  await form.getByRole('button', { name: 'Save changes' }).click();
  const message = await form
    .getByLabel('Quiet hours from')
    .evaluate((input) => (input as HTMLInputElement).validationMessage);
  assert.match(message, /start too/, 'one end of the quiet hours alone is refused at the field');
  assert.equal((await channelNamed('ops hook'))?.name, 'ops hook', 'nothing saved');
  await form.getByLabel('Quiet hours until').fill('');
  await form.getByLabel(/Only for these repositories/).selectOption([repos['server']!]);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.equal(JSON.stringify(await seriousViolations(page), null, 1), '[]', `channel edit (${scheme})`);
    await page.screenshot({ path: path.join(docsScreenshots, `channel-edit-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await form.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('row', { name: /ops webhook/ }).waitFor();
  const stored = await channelNamed('ops webhook');
  assert.ok(stored);
  assert.deepEqual(stored.rules.events, ['STALE', 'FAILED', 'DELETIONS']);
  assert.equal(stored.rules.quietHours, null);
  assert.equal(stored.rules.digestAt, '08:30');
  assert.deepEqual(
    stored.repositories.map((r) => r.name),
    ['server'],
  );
  assert.equal(stored.settings['url'], `${receiverUrl}/hook`);
  assert.equal(stored.settings['secret'], '[redacted]', 'the secret is still set');
});

test('"Send test" goes through the stored channel (signed with its secret) and lands in its log', async () => {
  const row = page.getByRole('row', { name: /ops webhook/ });
  await row.getByRole('button', { name: 'Send a test through ops webhook' }).click();
  await row.getByRole('status').getByText('Test message sent.').waitFor();
  const test = received.find((r) => r.url === '/hook' && r.body.includes('"TEST"'));
  assert.ok(test, JSON.stringify(received));
  assert.match(test.signature ?? '', /^sha256=[0-9a-f]{64}$/, 'signed with the stored secret');

  failing = true;
  await row.getByRole('button', { name: 'Send a test through ops webhook' }).click();
  const alert = row.getByRole('alert');
  await alert.waitFor();
  assert.match((await alert.textContent()) ?? '', /Test failed: .*HTTP 503/);
  assert.doesNotMatch((await alert.textContent()) ?? '', /receiver-internal-detail/);
  failing = false;

  await row.getByRole('button', { name: 'Edit channel ops webhook' }).click();
  const log = page.getByRole('region', { name: 'Delivery log of ops webhook' });
  await eventually('both tests in the log', async () =>
    (await log.getByTestId('delivery').count()) === 2 ? true : undefined,
  );
  const states = await log.getByTestId('delivery').allTextContents();
  assert.match(states[0] ?? '', /Borg Hive test notification.*Failed.*HTTP 503/);
  assert.match(states[1] ?? '', /Borg Hive test notification.*Sent/);
  await screenshot(page, 'channel-log');
  await page.getByRole('button', { name: 'Cancel' }).click();
});

test('400 px: the channel list and the edit form fit without horizontal scroll', async () => {
  await page.setViewportSize({ width: 400, height: 800 });
  await page.getByRole('button', { name: 'Edit channel ops webhook' }).click();
  await page.getByRole('form', { name: 'Edit channel ops webhook' }).waitFor();
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${scrollWidth} px wide in a ${clientWidth} px window`);
  await page.screenshot({ path: path.join(docsScreenshots, 'channel-edit-400.png'), fullPage: true });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('disable and enable: the badge and the stored flag follow; the rules and limit stay', async () => {
  const row = page.getByRole('row', { name: /ops webhook/ });
  await row.getByRole('button', { name: 'Disable channel ops webhook' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  let stored = await channelNamed('ops webhook');
  assert.equal(stored?.enabled, false);
  assert.deepEqual(
    stored?.repositories.map((r) => r.name),
    ['server'],
  );
  assert.equal(stored?.rules.digestAt, '08:30');
  assert.equal(stored?.settings['secret'], '[redacted]');
  await row.getByRole('button', { name: 'Enable channel ops webhook' }).click();
  await row.getByText('Enabled', { exact: true }).waitFor();
  stored = await channelNamed('ops webhook');
  assert.equal(stored?.enabled, true);
});

test('delete asks first: dismissed keeps the channel, confirmed removes it', async () => {
  const row = page.getByRole('row', { name: /ops webhook/ });
  page.once('dialog', (dialog) => void dialog.dismiss());
  await row.getByRole('button', { name: 'Delete channel ops webhook' }).click();
  assert.ok(await channelNamed('ops webhook'), 'dismissed: still there');
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Delete channel ops webhook' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await channelNamed('ops webhook'), undefined);
});
