import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';

/** Opens a console screen by its hash and waits for its heading and for its lists to load. */
export async function openScreen(
  page: Page,
  hiveUrl: string,
  hash: string,
  heading: string | RegExp,
): Promise<void> {
  await page.goto(`${hiveUrl}/${hash}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page
    .getByText(/Loading/)
    .first()
    .waitFor({ state: 'hidden' });
}

/** The server's problem shown at the field: beside it, marked invalid and naming it for screen readers. */
export async function assertFieldProblem(page: Page, field: Locator, pattern: RegExp): Promise<void> {
  await field.and(page.locator('[aria-invalid="true"]')).waitFor();
  const described = (await field.getAttribute('aria-describedby')) ?? '';
  const texts = await Promise.all(
    described.split(' ').map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  assert.match(texts.join(' '), pattern);
}
