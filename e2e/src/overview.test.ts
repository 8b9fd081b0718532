import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { startTestHive, type TestHive } from '@borg-hive/server/testing';
import { launchChromium, screenshotDir } from './support/browser.js';
import { graphql } from './support/graphql.js';
import {
  domElements,
  lastRenderedIndex,
  openDesktopOverview,
  renderedRows,
  scrollOneScreen,
  scrollTo,
  waitForRowCount,
  type RenderedRow,
} from './support/overview-page.js';
import { rendererIndex, repoRoot } from './support/paths.js';
import { seedSpread } from './support/seed-repositories.js';

const run = promisify(execFile);
/** The ATTENTION ranks as the API agreement states them: the test's own oracle, not the console's table. */
const RANK: Record<string, number> = {
  FAILED: 0,
  STALE: 1,
  NEVER_BACKED_UP: 2,
  IN_PROGRESS: 3,
  UNKNOWN: 4,
  OK: 5,
};

interface Listed {
  hive: string;
  id: string;
  name: string;
  state: string;
}

let alpha: TestHive;
let beta: TestHive;
let browser: Browser;
let page: Page;
let operations: string[];
let open: (hash?: string) => Promise<void>;
/** Every repository of both hives in ATTENTION order, sorted here from the API's own answers. */
let reference: Listed[];

/** Every repository of one hive, page by page in the server's ATTENTION order. */
async function listAll(hive: TestHive, hiveName: string): Promise<Listed[]> {
  const all: Listed[] = [];
  let after: string | null = null;
  for (;;) {
    const {
      repositoryPage,
    }: {
      repositoryPage: {
        edges: { node: Omit<Listed, 'hive'> & { health: { state: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } = await graphql(
      hive.url,
      hive.adminToken,
      'query($after: String) { repositoryPage(first: 500, after: $after) { edges { node { id name health { state } } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    all.push(
      ...repositoryPage.edges.map(({ node }) => ({
        hive: hiveName,
        id: node.id,
        name: node.name,
        state: node.health.state,
      })),
    );
    if (!repositoryPage.pageInfo.hasNextPage) return all;
    after = repositoryPage.pageInfo.endCursor;
  }
}

const byAttention = (a: Listed, b: Listed): number =>
  RANK[a.state]! - RANK[b.state]! ||
  (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
  (a.hive < b.hive ? -1 : a.hive > b.hive ? 1 : 0) ||
  Number(a.id) - Number(b.id);

const key = (row: { hive: string; name: string }): string => `${row.hive}/${row.name}`;

/** The rendered rows must be exactly the reference at their positions, with no gap. */
function assertInPlace(rows: readonly RenderedRow[]): void {
  assert.ok(rows.length > 0, 'no rows rendered');
  const first = rows[0]!.index - 2;
  assert.deepEqual(
    rows.map((row) => `${row.index}:${key(row)}:${row.state}`),
    reference.slice(first, first + rows.length).map((row, i) => `${first + i + 2}:${key(row)}:${row.state}`),
  );
}

async function scrollUntilRow(index: number): Promise<void> {
  while ((await lastRenderedIndex(page)) < index) await scrollOneScreen(page);
}

before(async () => {
  if (!existsSync(rendererIndex)) await run('npm', ['run', 'build', '-w', 'desktop'], { cwd: repoRoot });
  [alpha, beta] = await Promise.all([startTestHive(), startTestHive()]);
  await seedSpread(alpha, 1200);
  await seedSpread(beta, 800);
  const [a, b] = await Promise.all([listAll(alpha, 'alpha hive'), listAll(beta, 'beta hive')]);
  reference = [...a, ...b].sort(byAttention);
  // Each hive's own order is the reference order restricted to it: the merge relies on it.
  assert.deepEqual(a.map(key), reference.filter((row) => row.hive === 'alpha hive').map(key));
  browser = await launchChromium(['--allow-file-access-from-files']);
  ({ page, operations, open } = await openDesktopOverview(browser, [
    { id: 'a', name: 'alpha hive', url: alpha.url, token: alpha.adminToken },
    { id: 'b', name: 'beta hive', url: beta.url, token: beta.adminToken },
  ]));
});

after(async () => {
  await browser?.close();
  await Promise.all([alpha?.dispose(), beta?.dispose()]);
});

test('overview of two hives: merged pages, URL view, live rows, bounded DOM', async (t) => {
  await t.test('the first rows are both hives merged in attention order', async () => {
    await open();
    await page.getByTestId('repository-row').first().waitFor();
    assertInPlace(await renderedRows(page));
    await page.getByRole('listitem').filter({ hasText: 'Repositories' }).getByText('2000').waitFor();
  });

  await t.test('scrolling loads more pages in the merged order; the DOM stays small', async () => {
    const pagesBefore = operations.filter((name) => name === 'RepositoryPage').length;
    await scrollUntilRow(1500);
    assertInPlace(await renderedRows(page));
    assert.ok(operations.filter((name) => name === 'RepositoryPage').length > pagesBefore);
    const elements = await domElements(page);
    assert.ok(elements < 1200, `${elements} elements for 2,000 repositories`);
    assert.ok((await renderedRows(page)).length < 60);
  });

  await t.test('a link with a search and a state filter reopens that view', async () => {
    await open('#/?q=repo-00012&state=FAILED');
    await page.getByTestId('repository-row').first().waitFor();
    assert.equal(await page.getByLabel('Search repositories').inputValue(), 'repo-00012');
    assert.equal(await page.getByRole('button', { name: /^Failed/ }).getAttribute('aria-pressed'), 'true');
    const expected = reference.filter((row) => row.name.includes('repo-00012') && row.state === 'FAILED');
    await waitForRowCount(page, expected.length);
    assert.deepEqual((await renderedRows(page)).map(key), expected.map(key));
  });

  await t.test(
    'a repository created and deleted through the API comes and goes without a refetch',
    async () => {
      await open('#/?sort=NAME');
      await page.getByTestId('repository-row').first().waitFor();
      const pages = operations.filter((name) => name === 'RepositoryPage').length;
      const { createRepository } = await graphql<{ createRepository: { id: string } }>(
        beta.url,
        beta.adminToken,
        'mutation { createRepository(input: { name: "aaa-live" }) { id } }',
      );
      const row = page.getByTestId('repository-row').filter({ hasText: 'aaa-live' });
      await row.waitFor();
      assert.equal((await renderedRows(page))[0]?.name, 'aaa-live');
      await graphql(beta.url, beta.adminToken, 'mutation($id: ID!) { deleteRepository(id: $id) }', {
        id: createRepository.id,
      });
      await row.waitFor({ state: 'detached' });
      assert.equal(operations.filter((name) => name === 'RepositoryPage').length, pages);
    },
  );

  await t.test('screenshots at 400, 800 and 1280 px', async () => {
    await open('#/');
    await page.getByTestId('repository-row').first().waitFor();
    for (const width of [400, 800, 1280]) {
      await page.setViewportSize({ width, height: 860 });
      await scrollTo(page, 0);
      await page.screenshot({ path: path.join(screenshotDir, `overview-${width}.png`) });
    }
    // On a phone the navigation comes first: the table, further down.
    await page.setViewportSize({ width: 400, height: 860 });
    await page.getByLabel('Search repositories').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, 'overview-400-table.png') });
    await page.setViewportSize({ width: 1280, height: 860 });
    for (let screen = 0; screen < 5; screen += 1) await scrollOneScreen(page);
    await page.screenshot({ path: path.join(screenshotDir, 'overview-scrolled.png') });
  });
});
