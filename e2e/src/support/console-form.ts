import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { graphql } from './graphql.js';

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

/**
 * A schedule form's preview before saving: "Next runs: …", the hive's own next three starts of the
 * typed cron in its zone, each as the console writes a date and time; its fields not marked invalid.
 */
export async function assertSchedulePreview(
  page: Page,
  form: Locator,
  hive: { url: string; adminToken: string },
  schedule: string,
  timezone: string,
): Promise<void> {
  const preview = form.getByTestId('schedule-preview');
  await preview.filter({ hasText: /^Next runs: / }).waitFor();
  const { schedulePreview } = await graphql<{ schedulePreview: string[] }>(
    hive.url,
    hive.adminToken,
    'query($s: String!, $z: String!) { schedulePreview(schedule: $s, timezone: $z) }',
    { s: schedule, z: timezone },
  );
  assert.equal(schedulePreview.length, 3);
  const written = await page.evaluate(
    (runs) => runs.map((at) => new Date(at).toLocaleString()).join(', '),
    schedulePreview,
  );
  assert.equal(await preview.textContent(), `Next runs: ${written}`);
  assert.equal(await form.locator('[aria-invalid="true"]').count(), 0);
}
