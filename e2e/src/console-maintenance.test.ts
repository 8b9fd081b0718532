import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { seriousViolations } from './support/axe.js';
import { launchChromium, screenshot, signInToConsole } from './support/browser.js';
import { assertFieldProblem, assertSchedulePreview, openScreen } from './support/console-form.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { ed25519PublicKey } from './support/ssh-key.js';

// Maintenance schedules on the repository page (borg 1: add, refuse at the field, change, remove; borg 2:
// explained, not offered) and a location's host keys on the locations screen, in Chromium against a real
// hive: light and dark without serious axe findings, no horizontal scroll at 400 px.

const run = promisify(execFile);

let hive: TestHive;
let browser: Browser;
let page: Page;
let borg1Id: string;
let borg2Id: string;

/** As `ssh-keygen -lf` prints it: SHA256 of the key blob, unpadded base64. */
function fingerprint(pubLine: string): string {
  const blob = Buffer.from(pubLine.split(' ')[1] ?? '', 'base64');
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Light and dark without serious axe findings, and nothing wider than a 400 px window. */
async function accessibleAndNarrow(name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.equal(JSON.stringify(await seriousViolations(page), null, 1), '[]', `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 400, height: 860 });
  try {
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    assert.ok(scrollWidth <= clientWidth, `${name}: ${scrollWidth} px wide in a ${clientWidth} px window`);
    await screenshot(page, `${name}-400px`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 860 });
  }
}

interface Schedule {
  task: string;
  schedule: string;
  timezone: string;
  nextRuns: string[];
}

async function schedulesOf(repositoryId: string): Promise<Schedule[]> {
  const { maintenanceSchedules } = await graphql<{ maintenanceSchedules: Schedule[] }>(
    hive.url,
    hive.adminToken,
    'query($id: ID!) { maintenanceSchedules(repositoryId: $id) { task schedule timezone nextRuns(count: 3) } }',
    { id: repositoryId },
  );
  return maintenanceSchedules;
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive({ overrides: { jobs: false } });
  const create = async (input: string) =>
    (
      await graphql<{ createRepository: { id: string } }>(
        hive.url,
        hive.adminToken,
        `mutation { createRepository(input: ${input}) { id } }`,
      )
    ).createRepository.id;
  borg1Id = await create('{ name: "nightly" }');
  borg2Id = await create('{ name: "modern", borgVersion: BORG2 }');
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('dialog', (dialog) => void dialog.accept());
  await signInToConsole(page, hive.url);
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

test('maintenance schedules (borg 1): refused at the field, added with its next runs, changed, removed', async () => {
  await openScreen(page, hive.url, `#/hive/local/repository/${borg1Id}`, /nightly/);
  const card = page.getByRole('region', { name: 'Maintenance schedules' });
  await card.getByText('Nothing scheduled').waitFor();
  const form = card.getByRole('form', { name: 'Add a schedule' });

  await form.getByLabel('Task').selectOption('CHECK');
  // before saving, as it is typed: the hive's next runs in words, or its problem at the field
  await form.getByLabel(/^Schedule/).fill('0 3 * * 0');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await assertSchedulePreview(page, form, hive, '0 3 * * 0', 'Europe/Berlin');
  await form.getByLabel('Time zone').fill('');
  await form.getByLabel(/^Schedule/).fill('0 3 * *');
  await assertFieldProblem(page, form.getByLabel(/^Schedule/), /5-field cron/);
  await form.getByTestId('schedule-preview').waitFor({ state: 'detached' });
  assert.deepEqual(await schedulesOf(borg1Id), [], 'nothing saved while typing');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await assertFieldProblem(page, form.getByLabel(/^Schedule/), /5-field cron/);
  await form.getByLabel(/^Schedule/).fill('0 3 * * 0');
  await form.getByLabel('Time zone').fill('Mars/Olympus');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  await assertFieldProblem(page, form.getByLabel('Time zone'), /unknown time zone/);
  assert.deepEqual(await schedulesOf(borg1Id), [], 'nothing saved while refused');

  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByRole('button', { name: 'Save schedule' }).click();
  const table = card.getByRole('table', { name: 'Maintenance schedules' });
  const row = table.getByRole('row', { name: /CHECK/ });
  await row.getByText('0 3 * * 0 (Europe/Berlin)').waitFor();
  const [saved] = await schedulesOf(borg1Id);
  assert.equal(saved?.nextRuns.length, 3);
  // the next runs shown are the hive's, each a date and time a person reads
  const shown = await row
    .locator('time')
    .evaluateAll((times) => times.map((t) => t.getAttribute('datetime')));
  assert.deepEqual(shown, saved?.nextRuns);
  assert.match((await row.locator('time').first().textContent()) ?? '', /\d{1,2}:\d{2}/);
  await screenshot(page, 'maintenance-schedules');
  await accessibleAndNarrow('maintenance-schedules');

  await row.getByRole('button', { name: 'Change the CHECK schedule' }).click();
  const change = card.getByRole('form', { name: 'Change the CHECK schedule' });
  assert.equal(await change.getByLabel(/^Schedule/).inputValue(), '0 3 * * 0');
  await change.getByLabel(/^Schedule/).fill('15 4 1 * *');
  await change.getByLabel('Time zone').fill('UTC');
  await change.getByRole('button', { name: 'Save schedule' }).click();
  await row.getByText('15 4 1 * * (UTC)').waitFor();
  assert.deepEqual(
    (await schedulesOf(borg1Id)).map((s) => [s.task, s.schedule, s.timezone]),
    [['CHECK', '15 4 1 * *', 'UTC']],
  );

  await row.getByRole('button', { name: 'Remove the CHECK schedule' }).click();
  await card.getByText('Nothing scheduled').waitFor();
  assert.deepEqual(await schedulesOf(borg1Id), []);
});

test('maintenance schedules (borg 2): explained, neither compact nor check offered', async () => {
  await openScreen(page, hive.url, `#/hive/local/repository/${borg2Id}`, /modern/);
  const card = page.getByRole('region', { name: 'Maintenance schedules' });
  assert.match((await card.getByTestId('borg2-maintenance').textContent()) ?? '', /borg key.*full access/s);
  assert.equal(await card.getByRole('form').count(), 0);
  const buttons = page.getByLabel('Maintenance', { exact: true });
  await buttons.getByRole('button', { name: 'Break lock' }).waitFor();
  assert.equal(await buttons.getByRole('button', { name: 'Compact' }).count(), 0);
  assert.equal(await buttons.getByRole('button', { name: 'Check' }).count(), 0);
  await screenshot(page, 'maintenance-borg2');
  await accessibleAndNarrow('maintenance-borg2');
});

test('location host keys: a bad line refused at the field, two keys saved, their fingerprints shown', async () => {
  await openScreen(page, hive.url, '#/hive/local/locations', 'Storage locations');
  const table = page.getByRole('table', { name: 'Storage locations' });
  await table.getByRole('button', { name: 'Edit location default' }).click();
  const edit = page.getByRole('form', { name: 'Edit default' });
  const keys = edit.getByLabel(/^Host keys/);
  const ed = ed25519PublicKey('root@node');
  const other = ed25519PublicKey('root@node2');

  await keys.fill(`${ed}\nssh-ed25519 not-base64!`);
  await edit.getByRole('button', { name: 'Save location' }).click();
  await assertFieldProblem(page, keys, /key 2 is not one public key/);
  const before = await graphql<{ locations: { hostKeys: string[] }[] }>(
    hive.url,
    hive.adminToken,
    '{ locations { hostKeys } }',
  );
  assert.deepEqual(before.locations[0]?.hostKeys, [], 'nothing saved while refused');
  await accessibleAndNarrow('location-host-keys-refused');

  await keys.fill(`${ed}\n\n  ${other}  \n`);
  await edit.getByRole('button', { name: 'Save location' }).click();
  await edit.waitFor({ state: 'detached' });
  const row = table.getByRole('row', { name: /default/ });
  await row.getByText(fingerprint(ed)).waitFor();
  await row.getByText(fingerprint(other)).waitFor();
  await screenshot(page, 'location-host-keys');

  // the edit form shows the stored lines (without comments) and their fingerprints; emptied: none
  await table.getByRole('button', { name: 'Edit location default' }).click();
  assert.equal(
    await keys.inputValue(),
    [ed, other].map((l) => l.split(' ').slice(0, 2).join(' ')).join('\n'),
  );
  assert.match(
    (await edit.getByTestId('saved-fingerprints').textContent()) ?? '',
    new RegExp(fingerprint(ed).replace(/[+/]/g, '\\$&')),
  );
  await keys.fill('');
  await edit.getByRole('button', { name: 'Save location' }).click();
  await edit.waitFor({ state: 'detached' });
  await row.getByText('none configured').waitFor();
});
