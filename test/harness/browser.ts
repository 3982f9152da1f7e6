import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_PASSWORD } from './tocsin.js';
import { requireOrSkip } from './requirements.js';

export const CHROMIUM = process.env.TOCSIN_CHROMIUM ?? '/usr/bin/chromium';
export const TEST_OUTPUT = join(process.cwd(), 'test-output');

/** Whether console tests can run here (Debian's chromium; never a downloaded browser). */
export function chromiumAvailable(): boolean {
  return requireOrSkip('Chromium', existsSync(CHROMIUM), `${CHROMIUM} not found; apt-get install chromium`);
}

/** Whether the console has been built (npm install builds it; `npm run build:web` rebuilds). */
export function consoleBuilt(): boolean {
  return requireOrSkip('the built console', existsSync(join(process.cwd(), 'web/dist/index.html')), 'run npm run build:web');
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Where screenshots go (kept by CI as test output). */
export function screenshotPath(name: string): string {
  mkdirSync(TEST_OUTPUT, { recursive: true });
  return join(TEST_OUTPUT, name);
}

/** Signs the page in as the harness's first administrator through the sign-in form. */
export async function signInAsAdmin(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-email').fill('admin@example.com');
  await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/channels');
}
