import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  Repository,
  RepositoryEventType,
  startTestHive,
  type Em,
  type TestHive,
} from '@borg-hive/server/testing';
import { ageRepository, borgInit } from './support/borg-repo.js';
import { launchChromium, screenshot, signInToConsole } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { ed25519PublicKey } from './support/ssh-key.js';
import { SwitchProxy } from './support/switch-proxy.js';

const run = promisify(execFile);

/** Issue 13's promise: a stopped hive shows as offline within 5 s. */
const OFFLINE_WITHIN_MS = 5000;

let hive: TestHive;
let proxy: SwitchProxy;
let browser: Browser;
let page: Page;

interface Created {
  id: string;
  name: string;
  path: string;
  pingUrl: string;
}

async function createRepository(input: Record<string, unknown>): Promise<Created> {
  const { createRepository } = await graphql<{ createRepository: Created }>(
    hive.url,
    hive.adminToken,
    'mutation($i: CreateRepositoryInput!) { createRepository(input: $i) { id name path pingUrl } }',
    { i: input },
  );
  return createRepository;
}

const row = (name: string) => page.getByTestId('repository-row').filter({ hasText: name });
const openRepository = async (id: string): Promise<void> => {
  await page.goto(`${proxy.url}/#/hive/local/repository/${id}`);
};

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive({ env: { BORGHIVE_SSH_HOST: 'backup.hive.test' } });
  // The browser reaches the hive only through this switch: off is a stopped hive as far as it can tell.
  proxy = new SwitchProxy(Number(new URL(hive.url).port));
  await proxy.on();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await signInToConsole(page, proxy.url);
});

after(async () => {
  await browser?.close();
  await proxy?.off();
  await hive?.dispose();
});

test('health is told as the hive judges it, on the row and on the page', async (t) => {
  const never = await createRepository({ name: 'never-run' });
  const failed = await createRepository({ name: 'ping-failed', alertAfterDays: 2 });
  await t.test('a repository never backed up is not OK, and says its alerts are off', async () => {
    await page.goto(proxy.url);
    const line = row('never-run');
    await line.getByText('Never backed up', { exact: true }).waitFor();
    assert.equal(await line.getByText('OK', { exact: true }).count(), 0);
    await line.getByText('alerts off').waitFor();
  });

  await t.test('a ping to /fail makes the repository FAILED, with what failed', async () => {
    const response = await fetch(`${failed.pingUrl}/fail`, { method: 'POST', body: 'borg create: exit 2' });
    assert.equal(response.status, 200);
    await row('ping-failed').getByText('Failed', { exact: true }).waitFor();
    const reason = (await row('ping-failed').locator('.col-health .cell-line').textContent()) ?? '';
    assert.match(reason, /fail/i);
    await screenshot(page, 'overview-health');
    await openRepository(failed.id);
    await page.getByTestId('health-state').getByText('Failed', { exact: true }).waitFor();
    assert.match((await page.getByTestId('health-reason').textContent()) ?? '', /fail/i);
    assert.match((await page.getByTestId('health').textContent()) ?? '', /Alerts after 2 days/);
    // The log borgmatic sent with the ping is on the timeline.
    await page.getByTestId('event').getByText('Log', { exact: true }).click();
    assert.equal(await page.getByTestId('event-log').textContent(), 'borg create: exit 2');
    await openRepository(never.id);
    await page.getByTestId('health-state').getByText('Never backed up', { exact: true }).waitFor();
    assert.match((await page.getByTestId('health').textContent()) ?? '', /Alerts off/);
    await screenshot(page, 'repository-health');
  });
});

test('set-up panel: borg for borg repositories, rsync for IMPORT and EXPORT', async (t) => {
  const borg = await createRepository({ name: 'setup-borg' });
  const imported = await createRepository({ name: 'setup-import', mode: 'IMPORT' });
  const work = await mkdtemp(path.join(tmpdir(), 'bh-setup-'));
  t.after(() => rm(work, { recursive: true, force: true }));

  await t.test(
    'a borg repository: borg init, BORG_RSH advice, a borgmatic config borgmatic accepts',
    async () => {
      await openRepository(borg.id);
      const url = (await page.getByTestId('repository-url').textContent()) ?? '';
      assert.equal(
        await page.getByTestId('borg-init').textContent(),
        `borg init --encryption=repokey-blake2 ${url}`,
      );
      await page
        .getByText(/ServerAliveInterval/)
        .first()
        .waitFor();
      // Vorta takes the repository URL as it is.
      await page.getByText('Vorta repository URL').waitFor();
      assert.ok(
        (await page.getByText(url, { exact: true }).count()) >= 2,
        'the URL is offered for Vorta too',
      );
      await page.getByText('borgmatic configuration').click();
      const config = (await page.getByTestId('borgmatic-config').textContent()) ?? '';
      assert.match(config, new RegExp(`ping_url: ${borg.pingUrl.replace(/[/.]/g, '\\$&')}`));
      // Debian's own borgmatic judges the snippet, not a regular expression.
      const file = path.join(work, 'config.yaml');
      await writeFile(file, config);
      // Exits non-zero (run throws) for an invalid configuration.
      const { stdout, stderr } = await run('validate-borgmatic-config', ['-c', file]);
      assert.match(stdout + stderr, /valid/i);
      await screenshot(page, 'repository-setup');
    },
  );

  await t.test('an IMPORT repository shows rsync, never borg init', async () => {
    await openRepository(imported.id);
    const rsync = page.getByTestId('rsync-command');
    await rsync.waitFor();
    assert.match(
      (await rsync.textContent()) ?? '',
      /^rsync -av -e 'ssh -p \d+ [^']*' \.\/ [a-z0-9]+@backup\.hive\.test:$/,
    );
    assert.equal(await page.getByTestId('borg-init').count(), 0);
    assert.equal(await page.getByTestId('borgmatic-config').count(), 0);
  });
});

test('a key is full or append-only, never both', async () => {
  await graphql(
    hive.url,
    hive.adminToken,
    'mutation($n:String!,$k:String!){addSshKey(name:$n,publicKey:$k){id}}',
    {
      n: 'server-key',
      k: ed25519PublicKey('root@server'),
    },
  );
  await page.goto(`${proxy.url}/#/hive/local/new-repository`);
  await page.getByLabel('Name').fill('guarded');
  const key = page.getByRole('group', { name: /server-key/ });
  await key.getByLabel('Full access').check();
  await key.getByLabel('Append-only').check();
  assert.equal(await key.getByLabel('Full access').isChecked(), false);
  await screenshot(page, 'repository-form-access');
  await page.getByRole('button', { name: 'Create repository' }).click();
  await page.getByTestId('repository-url').waitFor();
  const { repositories } = await graphql<{
    repositories: { name: string; sshKeys: { name: string }[]; appendOnlySshKeys: { name: string }[] }[];
  }>(hive.url, hive.adminToken, '{ repositories { name sshKeys { name } appendOnlySshKeys { name } } }');
  const guarded = repositories.find((r) => r.name === 'guarded');
  assert.deepEqual(guarded?.sshKeys, []);
  assert.deepEqual(guarded?.appendOnlySshKeys, [{ name: 'server-key' }]);
  // An rsync mode has no append-only access to offer.
  await page.goto(`${proxy.url}/#/hive/local/new-repository`);
  await page.getByLabel('Import (rsync in)').check();
  assert.equal(
    await page
      .getByRole('group', { name: /server-key/ })
      .getByLabel('Append-only')
      .count(),
    0,
  );
});

test('connection state: a stopped hive is shown offline, never OK, and recovers by itself', async (t) => {
  const healthy = await createRepository({ name: 'was-fine', alertAfterDays: 3 });
  await fetch(healthy.pingUrl, { method: 'POST' });
  await page.goto(proxy.url);
  await row('was-fine').getByText('OK', { exact: true }).waitFor();
  await page.getByTestId('hive-status').getByText('connected').waitFor();

  await t.test('offline within 5 s: banner, navigation, rows marked as last known', async () => {
    await proxy.off();
    await page.getByTestId('hive-offline').waitFor({ timeout: OFFLINE_WITHIN_MS });
    assert.match((await page.getByTestId('hive-status').textContent()) ?? '', /offline since/);
    await row('was-fine').getByText('Hive offline').waitFor();
    assert.equal(await row('was-fine').getByText('OK', { exact: true }).count(), 0);
    assert.match((await row('was-fine').textContent()) ?? '', /Last known: OK/);
    await page
      .getByTestId('hive-status')
      .getByText(/reconnecting/)
      .waitFor();
    await screenshot(page, 'overview-offline');
  });

  await t.test(
    'a page opened while offline shows the error, and clears it when the hive is back',
    async () => {
      await page.getByRole('link', { name: 'SSH keys' }).click();
      await page.getByRole('alert').first().waitFor();
      assert.equal(
        await page.getByText('No keys yet.').count(),
        0,
        'an unreachable hive is not an empty one',
      );
      // An alert raised while the console cannot hear it: a stale repository and the alert check.
      const missed = await createRepository({ name: 'alerted-meanwhile', alertAfterDays: 1 });
      await borgInit(missed.path, hive.config.dataDir);
      await ageRepository(missed.path, 5);
      await graphql(hive.url, hive.adminToken, 'mutation($id: ID!) { refreshRepository(id: $id) { id } }', {
        id: missed.id,
      });
      await hive.services.alerts.check(hive.services.orm.em.fork() as Em);
      await proxy.on();
      // The toast for the alert the socket never carried.
      await page.getByText(/alerted-meanwhile .*\(while offline\)/).waitFor();
      await page.getByTestId('hive-status').getByText('connected').waitFor();
      await page.getByRole('table', { name: 'SSH keys' }).getByText('server-key').waitFor();
      assert.equal(await page.getByTestId('hive-offline').count(), 0);
      assert.equal(await page.locator('main').getByRole('alert').count(), 0, 'no error left on the screen');
      await page.getByRole('link', { name: 'Overview' }).click();
      await row('was-fine').getByText('OK', { exact: true }).waitFor();
    },
  );

  await t.test(
    'the open overview catches up on what changed while its socket was down, without a reload',
    async () => {
      await proxy.off();
      await page.getByTestId('hive-offline').waitFor({ timeout: OFFLINE_WITHIN_MS });
      // no message can reach the console now: a repository is added and another one fails
      await createRepository({ name: 'added-while-down' });
      const failed = await fetch(`${healthy.pingUrl}/fail`, { method: 'POST', body: 'exit 2' });
      assert.equal(failed.status, 200);
      await proxy.on();
      await page.getByTestId('hive-status').getByText('connected').waitFor();
      await row('added-while-down').waitFor();
      await row('was-fine').getByText('Failed', { exact: true }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Overview' }).count(), 1, 'still the same screen');
    },
  );
});

test('deleting a repository with its data removes the directory, after typing its name', async () => {
  const doomed = await createRepository({ name: 'doomed' });
  await borgInit(doomed.path, hive.config.dataDir);
  assert.ok(existsSync(path.join(doomed.path, 'config')));
  await openRepository(doomed.id);
  await page.getByRole('button', { name: 'Delete repository…' }).click();
  await page.getByLabel(/Also delete the data/).check();
  const confirm = page.getByRole('button', { name: 'Delete repository and data' });
  assert.equal(await confirm.isDisabled(), true);
  await page.getByLabel(/Type the repository name/).fill('doome');
  assert.equal(await confirm.isDisabled(), true);
  await page.getByLabel(/Type the repository name/).fill('doomed');
  await screenshot(page, 'repository-delete');
  await confirm.click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  const { repositories } = await graphql<{ repositories: { name: string }[] }>(
    hive.url,
    hive.adminToken,
    '{ repositories { name } }',
  );
  assert.equal(
    repositories.some((r) => r.name === 'doomed'),
    false,
  );
  assert.equal(existsSync(doomed.path), false);
});

test('page titles follow the screen', async () => {
  await page.goto(`${proxy.url}/#/hive/local/keys`);
  await page.getByRole('heading', { name: 'SSH keys' }).waitFor();
  assert.equal(await page.title(), 'SSH keys · Borg Hive');
});

test('the timeline reads a lock session as one backup, a session without commit as a read', async () => {
  const repo = await createRepository({ name: 'timeline' });
  const em = hive.services.orm.em.fork() as Em;
  const entity = await em.findOneOrFail(Repository, { id: Number(repo.id) });
  // As the watcher records them: a write session with two commits, then one without.
  for (const type of ['OPENED', 'UPDATED', 'UPDATED', 'CLOSED', 'OPENED', 'CLOSED'] as const) {
    await hive.services.events.record(em, entity, RepositoryEventType[type], type.toLowerCase());
  }
  await openRepository(repo.id);
  const events = page.getByTestId('event');
  await events.filter({ hasText: 'backup' }).waitFor();
  assert.deepEqual(
    await events.evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-kind') ?? item.textContent),
    ),
    ['read', 'backup'],
  );
  assert.match((await events.filter({ hasText: 'backup' }).textContent()) ?? '', /2 commits in \d+ s/);
  await screenshot(page, 'repository-timeline');
});

test('a failing channel shows in the delivery log, and only for the repository it is limited to', async () => {
  const watched = await createRepository({ name: 'watched', alertAfterDays: 1 });
  const ignored = await createRepository({ name: 'ignored', alertAfterDays: 1 });
  // Private addresses are refused by the hive's outbound rules: this webhook cannot be delivered.
  await graphql(
    hive.url,
    hive.adminToken,
    'mutation($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id } }',
    {
      i: {
        name: 'ops-hook',
        kind: 'WEBHOOK',
        enabled: true,
        settings: { url: 'http://10.255.255.1/hook', method: 'POST' },
        repositoryIds: [watched.id],
      },
    },
  );
  // Both repositories really stale: a borg repository whose last commit is ten days old.
  for (const repo of [watched, ignored]) {
    await borgInit(repo.path, hive.config.dataDir);
    await ageRepository(repo.path, 10);
    await graphql(hive.url, hive.adminToken, 'mutation($id: ID!) { refreshRepository(id: $id) { id } }', {
      id: repo.id,
    });
  }
  await hive.services.alerts.check(hive.services.orm.em.fork() as Em);
  await hive.services.deliveries.runOnce();

  await page.goto(`${proxy.url}/#/hive/local/deliveries`);
  const delivery = page.getByTestId('delivery');
  await delivery.first().waitFor();
  assert.equal(await delivery.count(), 1, 'the channel is limited to one repository');
  const text = (await delivery.textContent()) ?? '';
  assert.match(text, /watched/);
  assert.match(text, /ops-hook/);
  assert.match(text, /Retrying|Failed/);
  assert.doesNotMatch(text, /Sent/);
  await screenshot(page, 'delivery-log');
  // Per repository: the watched one's alert history lists that delivery, the ignored one's has none.
  await openRepository(watched.id);
  const history = page.getByRole('region', { name: 'Alert history' });
  await history.getByTestId('delivery').first().waitFor();
  assert.equal(await history.getByTestId('delivery').count(), 1);
  assert.match((await history.getByTestId('delivery').textContent()) ?? '', /ops-hook/);
  await openRepository(ignored.id);
  await page.getByTestId('health-state').getByText('Stale', { exact: true }).waitFor();
  await page.getByText('No alerts about this repository yet.').waitFor();
  assert.equal(await page.getByRole('region', { name: 'Alert history' }).getByTestId('delivery').count(), 0);
});
