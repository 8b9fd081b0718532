import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { seriousViolations } from './support/axe.js';
import { launchChromium, screenshot, signInToConsole } from './support/browser.js';
import { assertFieldProblem, openScreen } from './support/console-form.js';
import { graphql } from './support/graphql.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { ed25519PublicKey } from './support/ssh-key.js';

// The admin screens (users, groups, storage locations), shares on the repository form, a repository's
// alert history and its location's host keys: each created, edited, refused at the field and deleted
// through the console in Chromium against a real hive.

const run = promisify(execFile);
const hostKey = ed25519PublicKey('root@backup');

let hive: TestHive;
let browser: Browser;
let page: Page;
let repositoryId: string;

async function noSeriousViolations(name: string): Promise<void> {
  assert.equal(JSON.stringify(await seriousViolations(page), null, 1), '[]', name);
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  hive = await startTestHive({ env: { BORGHIVE_SSH_HOST_KEYS: hostKey } });
  const { createRepository } = await graphql<{ createRepository: { id: string } }>(
    hive.url,
    hive.adminToken,
    'mutation { createRepository(input: { name: "nightly", alertAfterDays: 2 }) { id } }',
  );
  repositoryId = createRepository.id;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  page.on('dialog', (dialog) => void dialog.accept());
  await signInToConsole(page, hive.url);
});

after(async () => {
  await browser?.close();
  await hive?.dispose();
});

test('users: a bad name is refused at the field, a user is created and their limits edited', async () => {
  await openScreen(page, hive.url, '#/hive/local/users', 'Users');
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill('Carol Smith');
  await form.getByLabel('E-mail').fill('carol@example.com');
  await form.getByLabel('Password').fill('carol-password-1');
  await form.getByRole('button', { name: 'Create user' }).click();
  await assertFieldProblem(page, form.getByLabel('Username'), /lower-case letters/);
  assert.equal(await page.getByRole('table', { name: 'Users' }).getByText('Carol Smith').count(), 0);
  await form.getByLabel('Username').fill('carol');
  await form.getByRole('button', { name: 'Create user' }).click();
  const row = page.getByRole('row', { name: /carol/ });
  await row.waitFor();
  assert.equal(await form.getByLabel('Username').inputValue(), '', 'the form is cleared after saving');
  await screenshot(page, 'admin-users');

  await row.getByRole('button', { name: 'Edit limits of carol' }).click();
  const limits = page.getByRole('form', { name: 'Limits of carol' });
  await limits.getByLabel('Repositories').fill('-3');
  await limits.getByRole('button', { name: 'Save limits' }).click();
  await assertFieldProblem(page, limits.getByLabel('Repositories'), /whole number from 0/);
  await limits.getByLabel('Repositories').fill('7');
  await limits.getByRole('button', { name: 'Save limits' }).click();
  await limits.waitFor({ state: 'detached' });
  await row.getByText(/repositories 7/).waitFor();
  const { users } = await graphql<{ users: { username: string; limits: { repositories: number } }[] }>(
    hive.url,
    hive.adminToken,
    '{ users { username limits { repositories } } }',
  );
  assert.equal(users.find((u) => u.username === 'carol')?.limits.repositories, 7);
  await noSeriousViolations('users');
});

test('groups: a bad name is refused at the field; create, add and remove a member, delete', async () => {
  await openScreen(page, hive.url, '#/hive/local/groups', 'Groups');
  const form = page.getByRole('form', { name: 'New group' });
  await form.getByLabel('Name').fill('-team');
  await form.getByRole('button', { name: 'Create group' }).click();
  await assertFieldProblem(page, form.getByLabel('Name'), /letters, digits/);
  await form.getByLabel('Name').fill('backup-team');
  await form.getByRole('button', { name: 'Create group' }).click();
  const row = page.getByRole('row', { name: /backup-team/ });
  await row.waitFor();

  await row.getByLabel('User to add to backup-team').selectOption({ label: 'carol' });
  await row.getByRole('button', { name: 'Add member' }).click();
  const remove = row.getByRole('button', { name: 'Remove carol from backup-team' });
  await remove.waitFor();
  await screenshot(page, 'admin-groups');
  await noSeriousViolations('groups');
  await remove.click();
  await remove.waitFor({ state: 'detached' });

  // Once more as a member: the share below needs her in the group.
  await row.getByLabel('User to add to backup-team').selectOption({ label: 'carol' });
  await row.getByRole('button', { name: 'Add member' }).click();
  await remove.waitFor();

  await form.getByLabel('Name').fill('short-lived');
  await form.getByRole('button', { name: 'Create group' }).click();
  const doomed = page.getByRole('row', { name: /short-lived/ });
  await doomed.getByRole('button', { name: 'Delete group short-lived' }).click();
  await doomed.waitFor({ state: 'detached' });
  const { groups } = await graphql<{ groups: { name: string }[] }>(
    hive.url,
    hive.adminToken,
    '{ groups { name } }',
  );
  assert.deepEqual(
    groups.map((g) => g.name),
    ['backup-team'],
  );
});

test('storage locations: bad fields refused at the field; create (with host keys listed), edit, delete', async () => {
  await openScreen(page, hive.url, '#/hive/local/locations', 'Storage locations');
  const form = page.getByRole('form', { name: 'New location' });
  await form.getByLabel('Name').fill('rack-2');
  await form.getByLabel('SSH host').fill('backup 2!');
  await form.getByRole('button', { name: 'Create location' }).click();
  await assertFieldProblem(page, form.getByLabel('SSH host'), /host name or address/);
  await form.getByLabel('SSH host').fill('backup2.example.com');
  await form.getByLabel('SSH port').fill('2222');
  await form.getByRole('button', { name: 'Create location' }).click();
  const row = page.getByRole('row', { name: /rack-2/ });
  await row.getByText('backup2.example.com:2222').waitFor();
  // The default location's keys come from BORGHIVE_SSH_HOST_KEYS: their fingerprints are listed.
  await page
    .getByRole('table', { name: 'Storage locations' })
    .getByText(/SHA256:/)
    .first()
    .waitFor();
  await screenshot(page, 'admin-locations');
  await noSeriousViolations('locations');

  await row.getByRole('button', { name: 'Edit location rack-2' }).click();
  const edit = page.getByRole('form', { name: 'Edit rack-2' });
  await edit.getByLabel('SSH port').fill('70000');
  await edit.getByRole('button', { name: 'Save location' }).click();
  await assertFieldProblem(page, edit.getByLabel('SSH port'), /1\.\.65535/);
  await edit.getByLabel('SSH port').fill('2200');
  await edit.getByRole('button', { name: 'Save location' }).click();
  await edit.waitFor({ state: 'detached' });
  await row.getByText('backup2.example.com:2200').waitFor();

  await row.getByRole('button', { name: 'Delete location rack-2' }).click();
  await row.waitFor({ state: 'detached' });
  const { locations } = await graphql<{ locations: { name: string }[] }>(
    hive.url,
    hive.adminToken,
    '{ locations { name } }',
  );
  assert.deepEqual(
    locations.map((l) => l.name),
    ['default'],
  );
  assert.equal(
    await page.getByRole('button', { name: 'Delete location default' }).count(),
    0,
    'the default location is not offered for deletion',
  );
});

test('shares: the repository form shares it with a group as OPERATE; its page shows that', async () => {
  await openScreen(page, hive.url, `#/hive/local/repository/${repositoryId}/edit`, 'Edit nightly');
  await page.getByLabel('backup-team').selectOption('OPERATE');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.getByRole('heading', { level: 1, name: /nightly/ }).waitFor();
  await page.getByText('backup-team').waitFor();
  const { repository } = await graphql<{
    repository: { shares: { group: { name: string }; role: string }[] };
  }>(
    hive.url,
    hive.adminToken,
    'query($id: ID!) { repository(id: $id) { shares { group { name } role } } }',
    { id: repositoryId },
  );
  assert.deepEqual(repository.shares, [{ group: { name: 'backup-team' }, role: 'OPERATE' }]);
});

test("the repository page: its location's host-key fingerprints and its alert history", async () => {
  await openScreen(page, hive.url, `#/hive/local/repository/${repositoryId}`, 'nightly');
  const fingerprints = page.getByTestId('host-key-fingerprints');
  assert.match((await fingerprints.textContent()) ?? '', /SHA256:[A-Za-z0-9+/]{43}/);
  await page.getByRole('heading', { name: 'Alert history' }).waitFor();
  await page.getByText('No alerts about this repository yet.').waitFor();
});

test('a non-admin sees no admin screens, and the hive refuses them if asked directly', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const carol = await context.newPage();
  try {
    await signInToConsole(carol, hive.url, 'carol', 'carol-password-1');
    await carol.getByRole('link', { name: 'Security' }).waitFor();
    assert.equal(await carol.getByRole('link', { name: 'Users' }).count(), 0);
    assert.equal(await carol.getByRole('link', { name: 'Storage locations' }).count(), 0);
    await carol.goto(`${hive.url}/#/hive/local/users`);
    await carol
      .getByRole('alert')
      .getByText(/only an admin/)
      .waitFor();
    // She sees the repository shared with her group, and whom it is shared with.
    await carol.goto(`${hive.url}/#/hive/local/repository/${repositoryId}`);
    await carol.getByText('backup-team').waitFor();
  } finally {
    await context.close();
  }
});

test('groups: a rename to a taken name is refused at the field, then renamed; members stay', async () => {
  await graphql(hive.url, hive.adminToken, 'mutation { createGroup(name: "night-shift") { id } }');
  await openScreen(page, hive.url, '#/hive/local/groups', 'Groups');
  const row = page.getByRole('row', { name: /night-shift/ });
  await row.getByRole('button', { name: 'Rename group night-shift' }).click();
  const form = page.getByRole('form', { name: 'Rename group night-shift' });
  await form.getByLabel('New name').fill('backup-team');
  await form.getByRole('button', { name: 'Save name' }).click();
  await form.getByText(/exists/).waitFor();
  await form.getByLabel('New name').fill('late-shift');
  await form.getByRole('button', { name: 'Save name' }).click();
  await page.getByRole('row', { name: /late-shift/ }).waitFor();
  await screenshot(page, 'admin-groups-renamed');
  await noSeriousViolations('groups after a rename');
  const { groups } = await graphql<{ groups: { name: string }[] }>(
    hive.url,
    hive.adminToken,
    '{ groups { name } }',
  );
  assert.deepEqual(groups.map((g) => g.name).sort(), ['backup-team', 'late-shift']);
});

test('users: delete is refused while the user owns a repository, then removes them', async () => {
  const { createUser } = await graphql<{ createUser: { id: string } }>(
    hive.url,
    hive.adminToken,
    'mutation { createUser(input: { username: "dave", email: "dave@example.com", password: "dave-password-1" }) { id } }',
  );
  const daveToken = await hive.login('dave', 'dave-password-1');
  const { createRepository } = await graphql<{ createRepository: { id: string } }>(
    hive.url,
    daveToken,
    'mutation { createRepository(input: { name: "dave-laptop" }) { id } }',
  );
  await openScreen(page, hive.url, '#/hive/local/users', 'Users');
  const row = page.getByRole('row', { name: /dave/ });
  assert.equal(
    await page.getByRole('button', { name: 'Delete user admin' }).count(),
    0,
    'no delete button for oneself',
  );
  await row.getByRole('button', { name: 'Delete user dave' }).click(); // the page accepts the question
  await page
    .getByRole('alert')
    .getByText(/dave owns 1 repository: delete it first/)
    .waitFor();
  assert.ok(await row.isVisible(), 'refused: still listed');

  await graphql(hive.url, hive.adminToken, 'mutation($id: ID!) { deleteRepository(id: $id) }', {
    id: createRepository.id,
  });
  await row.getByRole('button', { name: 'Delete user dave' }).click();
  await row.waitFor({ state: 'detached' });
  const { users } = await graphql<{ users: { id: string }[] }>(hive.url, hive.adminToken, '{ users { id } }');
  assert.ok(!users.some((u) => u.id === createUser.id));
});
