import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_PASSWORD } from '@borg-hive/server/testing';
import { repoRoot } from './paths.js';

export const screenshotDir = path.join(repoRoot, 'e2e/screenshots');

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  await mkdir(screenshotDir, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Opens the web console at `url` and signs in (the admin unless told otherwise); done when the overview shows. */
export async function signInToConsole(
  page: Page,
  url: string,
  username = 'admin',
  password = ADMIN_PASSWORD,
): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
}
