import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executablePath, haveBuild, haveChromium } from '../support/browser.ts';
import { chromiumArgs, startServer, type RunningServer } from '../support/process.ts';
import { serverDatabase, type ServerDatabase } from '../support/server-database.ts';


describe.skipIf(!haveChromium || !haveBuild)('console in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-'));
  let server: RunningServer;
  let database: ServerDatabase | undefined;
  let browser: Browser;

  beforeAll(async () => {
    // TEST_DATABASE=postgres: the console against a server on a fresh PostgreSQL database.
    database = await serverDatabase(dataDir);
    server = await startServer({ DATA_DIR: dataDir, ...database.env });
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in as the demo agent and lands in the app shell of Acme Support', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // The signed-out probe of /api/auth/me is an expected 401; anything else (a CSP block, an
    // exception) is a failure.
    page.on('console', (m) => m.type() === 'error' && !/status of 401/.test(m.text()) && errors.push(m.text()));

    await page.goto(`${server.url}/`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Email').fill('agent@demo.test');
    await page.getByLabel('Password').fill('switchboard');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(/\/w\/\d+\/inbox/);
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toContain('Acme Support');
    const who = (await page.getByTestId('signed-in-agent').textContent())!.replace(/\s+/g, ' ');
    expect(who).toMatch(/· agent/);
    for (const section of ['Inbox', 'Contacts', 'Segments', 'Jobs', 'Settings']) {
      await expect.poll(() => page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section }).count()).toBe(1);
    }
    // The console runs under the server's CSP: nothing may be blocked or throw.
    expect(errors).toEqual([]);

    // A reload keeps the session (cookie) and the place.
    await page.reload();
    await expect.poll(() => page.getByTestId('workspace-name').textContent()).toContain('Acme Support');
    await context.close();
  });

  it('shows the error on a wrong password and stays on the login page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('agent@demo.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await context.close();
  });

  it('signs out, after which the API refuses the old session', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill('lead@demo.test');
    await page.getByLabel('Password').fill('switchboard');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/w\/\d+\/inbox/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    await context.close();
  });

  it('changes the password from the account dialog and signs out everywhere', async () => {
    const signIn = async (password: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${server.url}/login`);
      await page.getByLabel('Email').fill('supervisor@demo.test');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(/\/w\/\d+\//);
      return { context, page };
    };
    const laptop = await signIn('switchboard');
    const phone = await signIn('switchboard');
    const { page } = laptop;
    await page.getByTestId('account-button').click();
    const dialog = page.getByTestId('account-dialog');
    await dialog.getByLabel('Current password').fill('wrong one');
    await dialog.getByLabel('New password', { exact: true }).fill('a-new-password');
    await dialog.getByLabel('New password again').fill('a-new-password');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => dialog.getByText('is not your current password').count()).toBe(1);

    await dialog.getByLabel('Current password').fill('switchboard');
    await dialog.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain('1 other session was signed out');
    // The other browser's session ended: its next navigation lands on the sign-in page.
    await phone.page.reload();
    await phone.page.waitForURL(/\/login/);

    await dialog.getByTestId('sign-out-everywhere').click();
    await page.waitForURL(/\/login/);
    const again = await signIn('a-new-password');
    await Promise.all([laptop.context.close(), phone.context.close(), again.context.close()]);
  });
});
