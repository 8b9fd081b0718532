import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { seriousViolations } from './support/axe.js';
import { launchChromium, signInToConsole } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { ed25519PublicKey } from './support/ssh-key.js';

const run = promisify(execFile);
/** The README and docs/desktop.md show these: the e2e run keeps them current. */
const docsScreenshots = path.join(repoRoot, 'docs/screenshots');

let hive: TestHive;
let browser: Browser;
let page: Page;
let failedId: string;

interface Screen {
  name: string;
  hash: string;
  heading: RegExp;
}

const screens = (): Screen[] => [
  { name: 'overview', hash: '#/', heading: /^Overview$/ },
  { name: 'repository', hash: `#/hive/local/repository/${failedId}`, heading: /nightly/ },
  { name: 'new-repository', hash: '#/hive/local/new-repository', heading: /^New repository$/ },
  { name: 'ssh-keys', hash: '#/hive/local/keys', heading: /^SSH keys$/ },
  { name: 'notifications', hash: '#/hive/local/channels', heading: /Notification/ },
  { name: 'api-tokens', hash: '#/hive/local/tokens', heading: /^API tokens$/ },
  { name: 'delivery-log', hash: '#/hive/local/deliveries', heading: /^Delivery log$/ },
  { name: 'hives', hash: '#/hives', heading: /^Hives$/ },
  { name: 'users', hash: '#/hive/local/users', heading: /^Users$/ },
  { name: 'groups', hash: '#/hive/local/groups', heading: /^Groups$/ },
  { name: 'locations', hash: '#/hive/local/locations', heading: /^Storage locations$/ },
];

async function show(screen: Screen): Promise<void> {
  await page.goto(`${hive.url}/${screen.hash}`);
  await page.getByRole('heading', { level: 1, name: screen.heading }).waitFor();
  // Loading placeholders gone: what is shot and checked is the screen with its data.
  await page
    .getByText(/Loading/)
    .first()
    .waitFor({ state: 'hidden' });
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  await mkdir(docsScreenshots, { recursive: true });
  hive = await startTestHive({
    env: { BORGHIVE_SSH_HOST: 'backup.example.com', BORGHIVE_SSH_HOST_KEYS: ed25519PublicKey('root@backup') },
  });
  const call = <T>(query: string, variables: object = {}): Promise<T> =>
    graphql<T>(hive.url, hive.adminToken, query, variables);
  const { addSshKey } = await call<{ addSshKey: { id: string } }>(
    'mutation($k: String!) { addSshKey(name: "laptop", publicKey: $k) { id } }',
    { k: ed25519PublicKey('anna@laptop') },
  );
  const create = async (input: object) =>
    (
      await call<{ createRepository: { id: string; pingUrl: string } }>(
        'mutation($i: CreateRepositoryInput!) { createRepository(input: $i) { id pingUrl } }',
        { i: input },
      )
    ).createRepository;
  const { createUser } = await call<{ createUser: { id: string } }>(
    'mutation { createUser(input: { username: "carol", email: "carol@example.com", password: "carol-password-1" }) { id } }',
  );
  const { createGroup } = await call<{ createGroup: { id: string } }>(
    'mutation($m: [ID!]) { createGroup(name: "backup-team", memberIds: $m) { id } }',
    { m: [createUser.id] },
  );
  await call(
    'mutation { createLocation(name: "rack-2", sshHost: "backup2.example.com", sshPort: 2222) { id } }',
  );
  const failed = await create({
    name: 'nightly',
    alertAfterDays: 2,
    appendOnlySshKeyIds: [addSshKey.id],
    shares: [{ groupId: createGroup.id, role: 'OPERATE' }],
  });
  failedId = failed.id;
  await call('mutation($i: NotificationChannelInput!) { createNotificationChannel(input: $i) { id } }', {
    i: {
      name: 'on-call',
      kind: 'EMAIL',
      settings: { to: 'ops@example.com' },
      repositoryIds: [failed.id],
      rules: { quietHours: { start: '22:00', end: '07:00' }, timeZone: 'Europe/Berlin' },
    },
  });
  await fetch(`${failed.pingUrl}/fail`, { method: 'POST', body: 'borg create exited with 2' });
  const ok = await create({ name: 'photos', alertAfterDays: 7, sshKeyIds: [addSshKey.id] });
  await fetch(ok.pingUrl, { method: 'POST' });
  await create({ name: 'laptop-new' });
  await create({ name: 'inbox', mode: 'IMPORT' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await signInToConsole(page, hive.url);
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`every screen, ${scheme}: no serious or critical axe findings; screenshots for the docs`, async (t) => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.emulateMedia({ colorScheme: scheme });
    for (const screen of screens()) {
      await t.test(screen.name, async () => {
        await show(screen);
        const found = await seriousViolations(page);
        assert.equal(JSON.stringify(found, null, 1), '[]', `${screen.name} (${scheme})`);
        await page.screenshot({
          path: path.join(docsScreenshots, `${screen.name}-${scheme}.png`),
          fullPage: true,
        });
      });
    }
  });
}

test('400 px wide: folded navigation, no horizontal scroll on any screen', async (t) => {
  await page.setViewportSize({ width: 400, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  for (const screen of screens()) {
    await t.test(screen.name, async () => {
      await show(screen);
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      assert.ok(
        scrollWidth <= clientWidth,
        `${screen.name}: ${scrollWidth} px wide in a ${clientWidth} px window`,
      );
      assert.equal(await page.getByRole('link', { name: 'SSH keys' }).isVisible(), false);
      await page.screenshot({ path: path.join(docsScreenshots, `${screen.name}-400.png`), fullPage: true });
    });
  }
  await t.test('the menu opens, and navigating folds it again with the focus on the new screen', async () => {
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'SSH keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'SSH keys' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'SSH keys' }).isVisible(), false);
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'MAIN');
  });
});
