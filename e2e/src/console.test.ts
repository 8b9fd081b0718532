import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { haveBuiltServer, rendererIndex, repoRoot, startHiveServer, type HiveServer } from './support/hive-server.js';
import { ed25519PublicKey } from './support/ssh-key.js';

const run = promisify(execFile);
const skip = haveBuiltServer() ? false : 'server/dist/main.js is not built';

let server: HiveServer;
let browser: Browser;
let page: Page;
const external: string[] = [];

before(async () => {
  if (skip) return;
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  server = await startHiveServer();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  // The console and the explorer must work offline: anything not on the hive itself is refused and noted.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    external.push(url.href);
    return route.abort();
  });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const token = (): Promise<string> => page.evaluate(() => sessionStorage.getItem('borg-hive.token') ?? '');

/** Repeats `action` until `check` holds: events sent before the subscription is live are simply missed. */
async function until(action: () => Promise<unknown>, check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    await action();
    for (let poll = 0; poll < 10; poll += 1) {
      if (await check()) return;
      await page.waitForTimeout(100);
    }
  }
  assert.fail(`never saw ${what}`);
}

test('web console: sign in, add a key, create a repository, live updates, stale first, explorer', { skip }, async (t) => {
  await t.test('signs in as admin', async () => {
    await page.goto(server.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.notEqual(await token(), '');
  });

  await t.test('adds an SSH key and shows the server error for a bad one', async () => {
    await page.getByRole('link', { name: 'SSH keys' }).click();
    await page.getByLabel('Name').fill('broken');
    await page.getByLabel('Public key').fill('ssh-ed25519 not-base64');
    await page.getByRole('button', { name: 'Add key' }).click();
    const error = page.locator('form').getByRole('alert');
    await error.waitFor();
    assert.notEqual((await error.textContent())?.trim(), '');
    await page.getByLabel('Name').fill('laptop');
    await page.getByLabel('Public key').fill(ed25519PublicKey('anna@laptop'));
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('table', { name: 'SSH keys' }).getByText('laptop', { exact: true }).waitFor();
    await screenshot(page, 'ssh-keys');
  });

  await t.test('creates a repository and shows its url and borg init command', async () => {
    await page.getByRole('link', { name: 'New repository' }).click();
    await page.getByLabel('Name').fill('alpha-new');
    await page.getByRole('group', { name: 'Full access keys' }).getByLabel(/laptop/).check();
    await page.getByLabel('Alert after (days without backup)').fill('3');
    await page.getByRole('button', { name: 'Create repository' }).click();
    const url = page.getByTestId('repository-url');
    await url.waitFor();
    assert.match((await url.textContent()) ?? '', /^ssh:\/\/[^@]+@backup\.hive\.test:\d+\/\.\/alpha-new$/);
    assert.equal(
      await page.getByTestId('borg-init').textContent(),
      `borg init --encryption=repokey-blake2 ${await url.textContent()}`,
    );
    await screenshot(page, 'repository-detail');
  });

  await t.test('a backup reported through the ping URL appears without reload', async () => {
    const auth = await token();
    const { repositories } = await graphql<{ repositories: { name: string; pingUrl: string }[] }>(
      server.url,
      auth,
      '{ repositories { name pingUrl } }',
    );
    const pingUrl = repositories.find((r) => r.name === 'alpha-new')?.pingUrl ?? '';
    const local = `${server.url}${new URL(pingUrl).pathname}`;
    const events = page.getByTestId('event');
    await until(
      () => fetch(`${local}/start`),
      async () => (await events.filter({ hasText: /backup started/i }).count()) > 0,
      'the BACKUP_STARTED event',
    );
    // A success counts as a backup: the event list (repositoryEvents) and the last backup time
    // (repositoryChanged) both change on the open page.
    const lastBackup = page.locator('dt:has-text("Last backup") + dd');
    await until(
      () => fetch(local, { method: 'POST', body: 'all good' }),
      async () =>
        (await events.filter({ hasText: /backup succeeded/i }).count()) > 0 &&
        (await lastBackup.textContent()) === 'just now',
      'the BACKUP_SUCCEEDED event and the new last backup time',
    );
    await screenshot(page, 'live-update');
  });

  await t.test('stale repositories come first in the overview', async () => {
    const auth = await token();
    const { createRepository: stale } = await graphql<{ createRepository: { id: string; path: string } }>(
      server.url,
      auth,
      'mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { id path } }',
      { input: { name: 'zeta-old', alertAfterDays: 1 } },
    );
    // A real (unencrypted) borg repository whose last commit is ten days old.
    const repoPath = path.resolve(repoRoot, stale.path);
    await run('borg', ['init', '--encryption=none', '--make-parent-dirs', repoPath], {
      env: { ...process.env, BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes', BORG_BASE_DIR: server.dataDir },
    });
    const old = new Date(Date.now() - 10 * 24 * 3600 * 1000);
    for (const file of await readdir(repoPath)) await utimes(path.join(repoPath, file), old, old);
    await graphql(server.url, auth, 'mutation($id: ID!) { refreshRepository(id: $id) { id isStale } }', { id: stale.id });

    await page.getByRole('link', { name: 'Overview' }).click();
    const rows = page.getByTestId('repository-row');
    await rows.filter({ hasText: 'zeta-old' }).waitFor();
    await rows.filter({ hasText: 'alpha-new' }).waitFor();
    assert.deepEqual(await rows.locator('th a').allTextContents(), ['zeta-old', 'alpha-new']);
    await rows.first().getByText('Stale').waitFor();
    await screenshot(page, 'overview');
  });

  await t.test('the GraphQL explorer runs { me { username } } offline', async () => {
    await page.goto(`${server.url}/graphiql.html`);
    await page.getByRole('button', { name: /execute query/i }).click();
    await page.locator('.graphiql-response').getByText('"admin"').waitFor();
    await screenshot(page, 'graphiql');
    assert.deepEqual(external, []);
  });
});
