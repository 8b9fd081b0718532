/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// Page-side callbacks below run in Chromium: they need the DOM types.
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { rendererIndex } from './paths.js';
import { installStandInBridge, type StandInHive } from './stand-in-bridge.js';

/** A row of the overview as rendered: its aria-rowindex (2 = first row), hive column, name and HealthState. */
export interface RenderedRow {
  readonly index: number;
  readonly hive: string;
  readonly name: string;
  readonly state: string;
}

/**
 * The desktop renderer from file:// with a stand-in preload bridge that lists `hives` (Electron cannot
 * run here; see desktop-renderer.test.ts). Counts the GraphQL operations the page sends, by name.
 */
export async function openDesktopOverview(
  browser: Browser,
  hives: readonly StandInHive[],
  viewport = { width: 1280, height: 860 },
): Promise<{ page: Page; operations: string[]; open: (hash?: string) => Promise<void> }> {
  const page = await browser.newPage({ viewport });
  const operations: string[] = [];
  page.on('request', (request) => {
    if (request.method() !== 'POST' || !request.url().endsWith('/graphql')) return;
    const body = request.postDataJSON() as { operationName?: string } | null;
    operations.push(body?.operationName ?? '?');
  });
  await page.addInitScript(installStandInBridge, hives);
  const open = async (hash = '#/'): Promise<void> => {
    await page.goto(`${pathToFileURL(rendererIndex).href}${hash}`);
  };
  return { page, operations, open };
}

export async function renderedRows(page: Page): Promise<RenderedRow[]> {
  return page.$$eval('[data-testid=repository-row]', (rows) =>
    rows.map((row) => ({
      index: Number(row.getAttribute('aria-rowindex')),
      hive: row.querySelector('.col-hive')?.textContent ?? '',
      name: row.querySelector('th > a')?.textContent ?? '',
      state:
        /badge-health-(\w+)/
          .exec(row.querySelector('.col-health .badge')?.className ?? '')?.[1]
          ?.toUpperCase() ?? '',
    })),
  );
}

/** Elements in the document: what the windowed table keeps bounded. */
export async function domElements(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length);
}

/** The highest aria-rowindex rendered (0 when no row is). */
export async function lastRenderedIndex(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(
      0,
      ...[...document.querySelectorAll('[data-testid=repository-row]')].map((row) =>
        Number(row.getAttribute('aria-rowindex')),
      ),
    ),
  );
}

/** Scrolls one screen down, then waits until rows further down are rendered (loaded if need be). */
export async function scrollOneScreen(page: Page): Promise<void> {
  const before = await lastRenderedIndex(page);
  await page.evaluate(() => window.scrollBy(0, window.innerHeight));
  await page.waitForFunction(
    (previous) =>
      Math.max(
        0,
        ...[...document.querySelectorAll('[data-testid=repository-row]')].map((row) =>
          Number(row.getAttribute('aria-rowindex')),
        ),
      ) > previous,
    before,
  );
}

/** Waits until exactly `count` rows are rendered. */
export async function waitForRowCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=repository-row]').length === n,
    count,
  );
}

export async function scrollTo(page: Page, y: number): Promise<void> {
  await page.evaluate((top) => window.scrollTo(0, top), y);
}
