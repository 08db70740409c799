import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executablePath, haveBuild, haveChromium, signIn } from '../support/browser.ts';
import { chromiumArgs, startServer, type RunningServer } from '../support/process.ts';
import { serverDatabase, type ServerDatabase } from '../support/server-database.ts';


async function agentPage(browser: Browser, url: string, email: string): Promise<{ page: Page; ws: string }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const ws = await signIn(page, url, email);
  await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('live');
  return { page, ws };
}

describe.skipIf(!haveChromium || !haveBuild)('live chat in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-chat-'));
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

  it('a visitor message reaches the inbox live, the reply reaches the widget, and a supervisor tagging "vip" moves it into the VIP inbox', { timeout: 120_000 }, async () => {
    const agent = await agentPage(browser, server.url, 'agent@demo.test');
    const { page: inbox, ws } = agent;

    // The visitor writes from the public widget page.
    const visitorContext = await browser.newContext({ viewport: { width: 420, height: 760 } });
    const visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(10_000);
    await visitor.goto(`${server.url}/chat/${ws}`);
    await visitor.getByLabel('Message').fill('Hi, my parcel never arrived (e2e)');
    await visitor.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => visitor.getByTestId('widget-message').last().getAttribute('data-state')).toBe('sent');

    // Without a reload, the agent's inbox lists it.
    const row = inbox.getByTestId('conversation-row').filter({ hasText: 'parcel never arrived (e2e)' });
    await expect.poll(() => row.count()).toBe(1);
    const conversationId = await row.getAttribute('data-conversation-id');
    await row.click();
    await expect.poll(() => inbox.getByTestId('message').filter({ hasText: 'parcel never arrived' }).count()).toBe(1);

    // The agent's reply appears in the widget.
    await inbox.getByLabel('Reply', { exact: true }).fill('Sorry about that, checking now.');
    await inbox.getByLabel('Reply', { exact: true }).press('Enter');
    await expect
      .poll(() => visitor.getByTestId('widget-message').filter({ hasText: 'checking now' }).getAttribute('data-author'))
      .toBe('agent');

    // The agent watches the VIP inbox; the conversation is not in it yet.
    await inbox.goto(`${server.url}/w/${ws}/inbox/${conversationId}`);
    await inbox.getByLabel('Segment').selectOption({ label: 'VIP' });
    await expect.poll(() => inbox.getByTestId('connection-state').getAttribute('data-state')).toBe('live');
    const vipRow = inbox.locator(`[data-testid="conversation-row"][data-conversation-id="${conversationId}"]`);
    await expect.poll(() => vipRow.count()).toBe(0);

    // A supervisor opens the same conversation and tags the contact "vip".
    const { page: sup } = await agentPage(browser, server.url, 'supervisor@demo.test');
    await sup.goto(`${server.url}/w/${ws}/inbox/${conversationId}`);
    const supPanel = sup.getByTestId('side-panel');
    await supPanel.getByRole('tab', { name: /Tags/ }).click();
    await supPanel.getByLabel('Add a tag').fill('vip');
    await supPanel.getByLabel('Add a tag').press('Enter');
    await expect.poll(() => supPanel.getByTestId('tag-chip').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('vip')]));

    // The agent's side panel shows it in place with a notice, and the VIP inbox now lists it.
    const panel = inbox.getByTestId('side-panel');
    await expect.poll(() => panel.getByTestId('change-notice').filter({ hasText: 'vip' }).count()).toBeGreaterThan(0);
    await panel.getByRole('tab', { name: /Tags/ }).click();
    await expect.poll(() => panel.getByTestId('tag-chip').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('vip')]));
    await expect.poll(() => vipRow.count()).toBe(1);
  });
});
