import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import {
  type Em,
  RepositoryEventType,
  Repository,
  ADMIN_PASSWORD,
  startTestHive,
  type TestHive,
} from '@borg-hive/server/testing';
import { ageRepository, borgInit } from './support/borg-repo.js';
import { launchChromium, screenshot } from './support/browser.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { ed25519PublicKey } from './support/ssh-key.js';

const run = promisify(execFile);

let hive: TestHive;
let browser: Browser;
let page: Page;
const external: string[] = [];
const policyViolations: string[] = [];

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive({ env: { BORGHIVE_SSH_HOST: 'backup.hive.test' } });
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
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

const token = (): Promise<string> => page.evaluate(() => sessionStorage.getItem('borg-hive.token') ?? '');

/** Records an event the way the watcher or the ping endpoint does: in the database and on the event bus. */
async function recordEvent(id: string, type: RepositoryEventType, message: string): Promise<void> {
  const em = hive.services.orm.em.fork() as Em;
  const repository = await em.findOneOrFail(Repository, { id: Number(id) });
  await hive.services.events.record(em, repository, type, message);
}

/** Repeats `action` until `check` holds: events sent before the subscription is live are simply missed. */
async function until(
  action: () => Promise<unknown>,
  check: () => Promise<boolean>,
  what: string,
): Promise<void> {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    await action();
    for (let poll = 0; poll < 10; poll += 1) {
      if (await check()) return;
      await page.waitForTimeout(100);
    }
  }
  assert.fail(`never saw ${what}`);
}

test('web console: sign in, add a key, create a repository, live updates, stale first, explorer', async (t) => {
  await t.test('refuses a wrong password, then signs in as admin', async () => {
    await page.goto(hive.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const error = page.getByRole('alert');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /password/i);
    await screenshot(page, 'login-error');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
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
    await screenshot(page, 'ssh-key-error');
    await page.getByLabel('Name').fill('laptop');
    await page.getByLabel('Public key').fill(ed25519PublicKey('anna@laptop'));
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('table', { name: 'SSH keys' }).getByText('laptop', { exact: true }).waitFor();
    await screenshot(page, 'ssh-keys');
  });

  await t.test('creates a repository and shows its url and borg init command', async () => {
    await page.getByRole('link', { name: 'New repository' }).click();
    await page.getByLabel('Name').fill('alpha-new');
    await page
      .getByRole('group', { name: /laptop/ })
      .getByLabel('Full access')
      .check();
    await page.getByLabel('Alert after (days without backup)').fill('3');
    await screenshot(page, 'repository-form');
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

  await t.test('events and a new backup appear without reload', async () => {
    const auth = await token();
    const { repositories } = await graphql<{ repositories: { id: string; name: string; path: string }[] }>(
      hive.url,
      auth,
      '{ repositories { id name path } }',
    );
    const alpha = repositories.find((r) => r.name === 'alpha-new');
    assert.ok(alpha);
    const events = page.getByTestId('event');
    await until(
      () => recordEvent(alpha.id, RepositoryEventType.BACKUP_STARTED, 'borgmatic started'),
      async () => (await events.filter({ hasText: /backup started/i }).count()) > 0,
      'the BACKUP_STARTED event',
    );
    // A real commit on disk, then a refresh: the last backup time arrives through repositoryChanged.
    await borgInit(alpha.path, hive.config.dataDir);
    const lastBackup = page.locator('dt:has-text("Last backup") + dd');
    assert.equal(await lastBackup.textContent(), 'never');
    await until(
      async () => {
        await graphql(hive.url, auth, 'mutation($id: ID!) { refreshRepository(id: $id) { id } }', {
          id: alpha.id,
        });
        await recordEvent(alpha.id, RepositoryEventType.BACKUP_SUCCEEDED, 'archive created');
      },
      async () =>
        (await events.filter({ hasText: /backup succeeded/i }).count()) > 0 &&
        (await lastBackup.textContent()) === 'just now',
      'the BACKUP_SUCCEEDED event and the new last backup time',
    );
    // The refresh measured the usage: the history follows without reload too.
    await page.getByRole('img', { name: /usage over the last/i }).waitFor();
    await screenshot(page, 'live-update');
  });

  await t.test('stale repositories come first in the overview', async () => {
    const auth = await token();
    const { createRepository: stale } = await graphql<{ createRepository: { id: string; path: string } }>(
      hive.url,
      auth,
      'mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { id path } }',
      { input: { name: 'zeta-old', alertAfterDays: 1 } },
    );
    // A real (unencrypted) borg repository whose last commit is ten days old.
    await borgInit(stale.path, hive.config.dataDir);
    await ageRepository(stale.path, 10);
    await graphql(hive.url, auth, 'mutation($id: ID!) { refreshRepository(id: $id) { id isStale } }', {
      id: stale.id,
    });

    await page.getByRole('link', { name: 'Overview' }).click();
    const rows = page.getByTestId('repository-row');
    await rows.filter({ hasText: 'zeta-old' }).waitFor();
    await rows.filter({ hasText: 'alpha-new' }).waitFor();
    assert.deepEqual(await rows.locator('th > a').allTextContents(), ['zeta-old', 'alpha-new']);
    await rows.first().getByText('Stale').waitFor();
    await screenshot(page, 'overview');
  });

  await t.test(
    'a page with an opaque origin (the desktop app on file://) may call the API with its token',
    async () => {
      const desktop = await page.context().newPage();
      try {
        const answer = await desktop.evaluate(
          async ({ url, auth }) => {
            const response = await fetch(`${url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
              body: JSON.stringify({ query: '{ me { username } }' }),
            });
            return {
              origin: (globalThis as { origin?: string }).origin,
              body: (await response.json()) as unknown,
            };
          },
          { url: hive.url, auth: await token() },
        );
        assert.deepEqual(answer, { origin: 'null', body: { data: { me: { username: 'admin' } } } });
      } finally {
        await desktop.close();
      }
    },
  );

  await t.test('creates an API token, shows it once, and revokes it', async () => {
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Name').fill('dashboard');
    await page.getByLabel('Scope').selectOption('READ_ONLY');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('created-token');
    await shown.waitFor();
    const secret = (await shown.textContent()) ?? '';
    const me = await graphql<{ me: { username: string } }>(hive.url, secret, '{ me { username } }');
    assert.equal(me.me.username, 'admin');
    await page.getByRole('table', { name: 'API tokens' }).getByText('dashboard', { exact: true }).waitFor();
    await screenshot(page, 'api-tokens');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Revoke token dashboard' }).click();
    await page.getByRole('table', { name: 'API tokens' }).getByText('revoked').waitFor();
    await assert.rejects(graphql(hive.url, secret, '{ me { username } }'), /UNAUTHENTICATED|sign in|token/i);
  });

  await t.test('a session ended elsewhere sends the console back to sign-in', async () => {
    await graphql(hive.url, await token(), 'mutation { logout }');
    // the hive closes the console's socket at once (4401): no click is needed to notice
    await page
      .getByRole('status')
      .filter({ hasText: /session has ended/i })
      .waitFor();
    assert.equal(await token(), '');
    await screenshot(page, 'session-ended');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // signed in again on the screen it was on (API tokens), with the navigation back
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  });

  await t.test('the GraphQL explorer runs { me { username } } offline', async () => {
    await page.goto(`${hive.url}/graphiql`);
    // Monaco loads its editor and workers lazily: a click before the query is in place runs nothing.
    await page.locator('.graphiql-query-editor').getByText('username').waitFor();
    const answer = page.locator('.graphiql-response').getByText('"admin"');
    await until(
      () => page.getByRole('button', { name: /execute query/i }).click(),
      () => answer.isVisible(),
      'the answer to { me { username } }',
    );
    await screenshot(page, 'graphiql');
    assert.deepEqual(external, []);
  });

  await t.test('signing out ends the session on the server', async () => {
    await page.goto(hive.url);
    const before = await token();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await assert.rejects(graphql(hive.url, before, '{ me { username } }'));
  });

  await t.test('the pages keep to their content security policy', async () => {
    const served = await fetch(hive.url);
    assert.match(served.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.match(await served.text(), /http-equiv="Content-Security-Policy"/);
    assert.deepEqual(policyViolations, []);
  });
});
