import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  type Em,
  RepositoryEventType,
  Repository,
  startTestHive,
  type TestHive,
} from '@borg-hive/server/testing';
import { launchChromium, screenshot } from './support/browser.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { installStandInBridge, type StandInHive } from './support/stand-in-bridge.js';

const run = promisify(execFile);

let hive: TestHive;
let browser: Browser;
let page: Page;
const messages: string[] = [];

/** The stand-in bridge's hives: `bad` is one whose TLS certificate main refused (nothing listens there). */
function bridgeHives(url: string, token: string, withBadHive: boolean): StandInHive[] {
  return [
    { id: 'lab', name: 'lab hive', url, token },
    ...(withBadHive
      ? [
          {
            id: 'bad',
            name: 'bad cert',
            url: 'http://127.0.0.1:28001',
            token,
            certificateError: 'net::ERR_CERT_AUTHORITY_INVALID',
          },
        ]
      : []),
  ];
}

// The desktop app's renderer as Electron loads it: from file:// (Origin `null`), the hive on another origin,
// the token handed over by the preload bridge. Electron itself cannot run here; a stand-in bridge replaces the
// preload and Chromium gets file:// module loading, which Electron grants its own files.
before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive();
  browser = await launchChromium(['--allow-file-access-from-files']);
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('console', (message) => messages.push(message.text()));
  await page.addInitScript(installStandInBridge, bridgeHives(hive.url, hive.adminToken, false));
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

test('the desktop renderer on file:// talks to a hive across origins, live, within its CSP', async () => {
  const created = await hive.gql<{ createRepository: { id: string } }>(
    hive.adminToken,
    'mutation { createRepository(input: { name: "desk-1" }) { id } }',
  );
  const id = created.data?.createRepository.id;
  assert.ok(id, JSON.stringify(created.errors));

  await page.goto(pathToFileURL(rendererIndex).href);
  // `null` in plain Chromium, `file://` where file URLs get privileges (this flag, Electron): never the hive's.
  assert.match(
    (await page.evaluate(() => (globalThis as { origin?: string }).origin)) ?? '',
    /^(null|file:\/\/)$/,
  );
  const row = page.getByTestId('repository-row').filter({ hasText: 'desk-1' });
  await row.waitFor();
  await row.getByRole('link', { name: 'desk-1' }).click();
  await page.getByRole('heading', { name: /desk-1/ }).waitFor();

  // Subscriptions over ws:// from Origin null: an event recorded on the hive shows up without reload.
  const em = hive.services.orm.em.fork() as Em;
  const repository = await em.findOneOrFail(Repository, { id: Number(id) });
  const events = page.getByTestId('event').filter({ hasText: 'from the storage node' });
  for (let attempt = 0; attempt < 30 && (await events.count()) === 0; attempt += 1) {
    await hive.services.events.record(
      em,
      repository,
      RepositoryEventType.BACKUP_STARTED,
      'from the storage node',
    );
    await page.waitForTimeout(500);
  }
  assert.ok((await events.count()) > 0, 'the live event never arrived');
  await screenshot(page, 'desktop-repository');
  assert.deepEqual(
    messages.filter((text) => /Content Security Policy|CORS/i.test(text)),
    [],
  );
});

test('desktop signals: attention reports reach the bridge; a refused certificate shows as "wrong certificate"', async () => {
  await hive.gql(hive.adminToken, 'mutation { createRepository(input: { name: "never-1" }) { id } }');
  const second = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  try {
    await second.addInitScript(installStandInBridge, bridgeHives(hive.url, hive.adminToken, true));
    await second.goto(pathToFileURL(rendererIndex).href);
    const badStatus = second.getByRole('region', { name: 'Hive bad cert' }).getByTestId('hive-status');
    await badStatus.getByText(/^wrong certificate \(net::ERR_CERT_AUTHORITY_INVALID\)/).waitFor();
    const labStatus = second.getByRole('region', { name: 'Hive lab hive' }).getByTestId('hive-status');
    await labStatus.getByText('connected').waitFor();
    type Report = { hiveId: string; online: boolean; repositories: { name: string; state: string }[] };
    await second.waitForFunction(() =>
      ((globalThis as unknown as { attentionReports: Report[] }).attentionReports ?? []).some(
        (r) => r.hiveId === 'lab' && r.online,
      ),
    );
    const reports = await second.evaluate(
      () => (globalThis as unknown as { attentionReports: Report[] }).attentionReports,
    );
    const lab = reports.filter((r) => r.hiveId === 'lab' && r.online).at(-1);
    assert.ok(
      lab?.repositories.some((r) => r.name === 'never-1' && r.state === 'NEVER_BACKED_UP'),
      JSON.stringify(lab),
    );
    assert.ok(
      reports.some((r) => r.hiveId === 'bad' && !r.online),
      'the unreachable hive is reported offline',
    );
  } finally {
    await second.close();
  }
});

test('the hive list: a per-hive desktop-notification switch, saved through the bridge and shown as saved', async () => {
  const third = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  try {
    await third.addInitScript(installStandInBridge, bridgeHives(hive.url, hive.adminToken, false));
    await third.goto(`${pathToFileURL(rendererIndex).href}#/hives`);
    await third.getByRole('heading', { level: 1, name: 'Hives' }).waitFor();
    const item = third
      .getByRole('list', { name: 'Hives' })
      .getByRole('listitem')
      .filter({ hasText: 'lab hive' });
    const toggle = item.getByRole('checkbox', { name: 'Desktop notifications' });
    assert.equal(await toggle.isChecked(), true, 'on unless switched off');
    await toggle.uncheck();
    await third.waitForFunction(
      () => ((globalThis as unknown as { savedHives: unknown[] }).savedHives ?? []).length === 1,
    );
    const saved = await third.evaluate(() => (globalThis as unknown as { savedHives: unknown[] }).savedHives);
    assert.deepEqual(saved, [{ id: 'lab', name: 'lab hive', url: hive.url, notify: false }]);
    await item.getByRole('checkbox', { name: 'Desktop notifications', checked: false }).waitFor();
    await screenshot(third, 'desktop-hive-list');
  } finally {
    await third.close();
  }
});

test('adding a hive in the desktop app: single sign-on in the browser, or a password with the second-factor step', async () => {
  const third = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  try {
    await third.addInitScript(installStandInBridge, bridgeHives(hive.url, hive.adminToken, false));
    await third.goto(`${pathToFileURL(rendererIndex).href}#/hives`);
    await third.getByRole('heading', { name: 'Add a hive' }).waitFor();
    const signIns = () => third.evaluate(() => (globalThis as unknown as { signIns: unknown[] }).signIns);

    await third.getByLabel('Name', { exact: true }).fill('Office');
    await third.getByLabel('URL').fill('https://office.example.test');
    await third.getByLabel('User name and password').check();
    await third.getByLabel('Username').fill('ann');
    await third.getByLabel('Password', { exact: true }).fill(' pass word ');
    await third.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = third.getByLabel('Code from your authenticator app (or a recovery code)');
    await code.waitFor();
    await third.getByText('enter the code of your authenticator app (or a recovery code)').waitFor();
    assert.equal(await third.getByRole('alert').count(), 0, 'the question is no error');
    await screenshot(third, 'desktop-add-hive-otp');
    await code.fill('123456');
    await third.getByRole('button', { name: 'Confirm code' }).click();
    await third.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    assert.deepEqual(await signIns(), [
      {
        via: 'password',
        name: 'Office',
        url: 'https://office.example.test',
        username: 'ann',
        password: ' pass word ',
      },
      {
        via: 'password',
        name: 'Office',
        url: 'https://office.example.test',
        username: 'ann',
        password: ' pass word ',
        otp: '123456',
      },
    ]);

    await third.getByLabel('Name', { exact: true }).fill('Lab');
    await third.getByLabel('URL').fill('https://lab.example.test');
    await third.getByLabel('Single sign-on, in your browser').check();
    await third.getByRole('button', { name: 'Sign in in the browser' }).click();
    await third.waitForFunction(() => (globalThis as unknown as { signIns: unknown[] }).signIns.length === 3);
    assert.deepEqual((await signIns())[2], { via: 'browser', name: 'Lab', url: 'https://lab.example.test' });
  } finally {
    await third.close();
  }
});
