import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumPath, repoRoot, requireServices } from './process.ts';

/** The system Chromium the console tests drive, and whether they can run here. */
export const executablePath = chromiumPath();
export const haveChromium = !!executablePath && existsSync(executablePath);
export const haveBuild = existsSync(join(repoRoot, 'web/build/index.html'));
// In CI a missing browser or build must fail the run, not skip the console tests silently.
if (requireServices && !haveChromium) throw new Error(`REQUIRE_SERVICES=1 but Chromium is missing at ${executablePath}`);
if (requireServices && !haveBuild) throw new Error('REQUIRE_SERVICES=1 but the console is not built (npm run build -w web)');

/** Signs a demo agent in through the login form; answers the workspace id the console opened. */
export async function signIn(page: Page, url: string, email: string): Promise<string> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('switchboard');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/w\/\d+\/inbox/);
  return new URL(page.url()).pathname.split('/')[2]!;
}
