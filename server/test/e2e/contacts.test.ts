import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executablePath, haveBuild, haveChromium, signIn } from '../support/browser.ts';
import { chromiumArgs, startServer, type RunningServer } from '../support/process.ts';
import { serverDatabase, type ServerDatabase } from '../support/server-database.ts';


const rowIds = (page: Page) => page.getByTestId('contact-row').evaluateAll((rows) => rows.slice(0, 15).map((r) => r.getAttribute('data-contact-id')));

describe.skipIf(!haveChromium || !haveBuild)('contacts page in Chromium', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-contacts-'));
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

  it('builds a nested filter, saves it as a segment, and a reload of the URL shows the same rows', { timeout: 90_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    const ws = await signIn(page, server.url, 'lead@demo.test');
    await page.goto(`${server.url}/w/${ws}/contacts`);
    await expect.poll(() => page.getByTestId('contacts-count').textContent()).toMatch(/2,000 contacts/);

    await page.getByRole('button', { name: 'Filter' }).click();
    const builder = page.getByTestId('filter-builder');
    const root = builder.getByTestId('filter-group').first();
    await root.getByRole('button', { name: 'Add condition' }).first().click();
    const first = builder.getByTestId('filter-condition').first();
    await first.getByLabel('Field').selectOption('tags');
    await first.getByLabel('Operator').selectOption('hasAnyOf');
    const tags = first.getByRole('combobox', { name: 'Tags values' });
    await tags.fill('vip');
    await tags.press('Enter');

    // A nested OR group: language is es OR country is MX.
    await root.getByRole('button', { name: 'Add group' }).first().click();
    const nested = builder.getByTestId('filter-group').nth(1);
    await nested.getByRole('button', { name: 'OR' }).click();
    // A new group starts with one empty condition.
    await nested.getByRole('button', { name: 'Add condition' }).click();
    const [a, b] = [nested.getByTestId('filter-condition').nth(0), nested.getByTestId('filter-condition').nth(1)];
    await a.getByLabel('Field').selectOption('language');
    await a.getByLabel('Operator').selectOption('eq');
    await a.getByLabel('Value').fill('es');
    await b.getByLabel('Field').selectOption('lastInteractionAt');
    await b.getByLabel('Operator').selectOption('withinDays');
    await b.getByLabel('Number of days').fill('30');

    await page.getByRole('button', { name: 'Apply filter' }).click();
    await expect.poll(() => page.url()).toMatch(/filter=/);
    await expect.poll(() => page.getByTestId('contacts-count').textContent()).not.toMatch(/2,000/);
    const count = await page.getByTestId('contacts-count').textContent();
    const rows = await rowIds(page);
    expect(rows.length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Save as segment…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save as segment' });
    await dialog.getByLabel('Name').fill('VIP in Spanish or recent');
    await dialog.getByRole('button', { name: 'Save segment' }).click();
    await expect.poll(() => page.url()).toMatch(/segment=\d+/);
    const sidebar = page.getByTestId('segments-sidebar');
    await expect.poll(() => sidebar.textContent()).toContain('VIP in Spanish or recent');

    const saved = page.url();
    await page.reload();
    await expect.poll(() => page.getByTestId('contacts-count').textContent()).toBe(count);
    expect(await rowIds(page)).toEqual(rows);

    // The same view from a fresh tab by link.
    const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(other, server.url, 'agent@demo.test');
    await other.goto(saved);
    await expect.poll(() => other.getByTestId('contacts-count').textContent()).toBe(count);
    expect(await rowIds(other)).toEqual(rows);
    await other.close();
    await page.close();
  });

  it('edits a tag and a custom field inline in the contact drawer', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    const ws = await signIn(page, server.url, 'agent@demo.test');
    await page.goto(`${server.url}/w/${ws}/contacts`);
    const row = page.getByTestId('contact-row').first();
    const id = await row.getAttribute('data-contact-id');
    await row.click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`contact=${id}`));
    const drawer = page.getByTestId('contact-drawer');

    await drawer.getByRole('tab', { name: /^Tags/ }).click();
    const panel = drawer.getByRole('tabpanel');
    const add = panel.getByRole('combobox', { name: 'Add a tag' });
    await add.fill('e2e-followup');
    await add.press('Enter');
    await expect.poll(() => panel.getByTestId('tag-chip').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('e2e-followup')]));

    await drawer.getByRole('tab', { name: /^Custom fields/ }).click();
    await panel.getByRole('button', { name: 'Edit Plan', exact: true }).click();
    await panel.getByRole('combobox', { name: 'Plan' }).selectOption('platinum');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => panel.getByTestId('field-plan-value').textContent()).toMatch(/platinum/i);

    // The server has both changes, with the agent as their author.
    const api = (await page.evaluate(async ([w, c]) => (await fetch(`/api/workspaces/${w}/contacts/${c}`)).json(), [ws, id] as const)) as { tags: string[]; fields: Record<string, unknown> };
    expect(api.tags).toContain('e2e-followup');
    expect(api.fields.plan).toBe('platinum');
    const history = (await page.evaluate(async ([w, c]) => (await fetch(`/api/workspaces/${w}/contacts/${c}/history`)).json(), [ws, id] as const)) as { action: string }[];
    expect(history.slice(0, 2).map((h) => h.action).sort()).toEqual(['contact.field_set', 'contact.tag_added']);
    await page.close();
  });

  it('hides and reorders a table column, and the layout survives a reload', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    const ws = await signIn(page, server.url, 'supervisor@demo.test');
    await page.goto(`${server.url}/w/${ws}/contacts`);
    const headers = () => page.getByTestId('contacts-table').getByRole('columnheader').allTextContents();
    await expect.poll(async () => (await headers()).join('|')).toContain('Email');
    const before = (await headers()).map((h) => h.trim()).filter(Boolean);

    await page.getByRole('button', { name: 'Columns' }).click();
    const editor = page.getByRole('dialog', { name: 'Table columns' });
    await editor.getByRole('checkbox', { name: 'Email', exact: true }).uncheck();
    await editor.getByRole('button', { name: 'Move Country up' }).click();
    await editor.getByRole('button', { name: 'Move Country up' }).click();
    await editor.getByRole('button', { name: 'Save', exact: true }).click();

    const expected = [...before.filter((h) => h !== 'Email')];
    const ci = expected.indexOf('Country');
    // Country moved two places up among all fields; with Email hidden above it, one visible place.
    expected.splice(ci, 1);
    expected.splice(Math.max(0, ci - 1), 0, 'Country');
    await expect.poll(async () => (await headers()).map((h) => h.trim()).filter(Boolean)).toEqual(expected);
    await page.reload();
    await expect.poll(async () => (await headers()).map((h) => h.trim()).filter(Boolean)).toEqual(expected);
    await page.close();
  });
});
