import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executablePath, haveBuild, haveChromium, signIn } from '../support/browser.ts';
import { chromiumArgs, startServer, type RunningServer } from '../support/process.ts';
import { serverDatabase, type ServerDatabase } from '../support/server-database.ts';


// Headers the server cannot all guess, so the mapping has to be changed by hand; one bad phone.
const csv = [
  'Mobile,Given name,Family,Labels,Loyalty Tier',
  '+12025550143,Zoë,Ng,e2e-import;vip,gold',
  '+12025550144,Ann,Lee,e2e-import,silver',
  'not-a-phone,Bad,Row,e2e-import,gold',
  '+12025550145,Bo,Kim,e2e-import,bronze',
].join('\n');

describe.skipIf(!haveChromium || !haveBuild)('jobs in Chromium: import, bulk action, undo', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-e2e-jobs-'));
  const csvPath = join(dataDir, 'e2e-people.csv');
  let server: RunningServer;
  let database: ServerDatabase | undefined;
  let browser: Browser;
  let page: Page;
  let ws: string;
  let importId: string;

  /** The names of the contacts the bulk action tagged, as the contacts API says. */
  async function taggedNames(): Promise<string[]> {
    const filter = JSON.stringify({ field: 'tags', op: 'hasAnyOf', value: ['e2e-bulk'] });
    const answer = await page.request.get(`${server.url}/api/workspaces/${ws}/contacts?filter=${encodeURIComponent(filter)}`);
    return ((await answer.json()).items as { name: string }[]).map((c) => c.name).sort();
  }

  beforeAll(async () => {
    writeFileSync(csvPath, `${csv}\n`);
    // TEST_DATABASE=postgres: the console against a server on a fresh PostgreSQL database.
    database = await serverDatabase(dataDir);
    server = await startServer({ DATA_DIR: dataDir, ...database.env });
    browser = await chromium.launch({ executablePath, args: chromiumArgs });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.setDefaultTimeout(15_000);
    ws = await signIn(page, server.url, 'lead@demo.test');
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports a CSV with a changed mapping, watches the bar reach 100 % and downloads the rejected rows', { timeout: 90_000 }, async () => {
    await page.goto(`${server.url}/w/${ws}/jobs`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const wizard = page.getByRole('dialog', { name: 'Import contacts from CSV' });
    await wizard.getByTestId('import-file').setInputFiles(csvPath);

    // The mapping step: every column with its samples; each target set by hand.
    const row = (column: string) => wizard.locator(`[data-testid="mapping-row"][data-column="${column}"]`);
    await expect.poll(() => row('Given name').textContent()).toContain('Zoë');
    await wizard.getByLabel('Import Mobile as').selectOption('phone');
    await wizard.getByLabel('Import Given name as').selectOption('firstName');
    await wizard.getByLabel('Import Family as').selectOption('lastName');
    await wizard.getByLabel('Import Labels as').selectOption('tags');
    await wizard.getByLabel('Import Loyalty Tier as').selectOption('new');
    await row('Loyalty Tier').getByLabel('Key').fill('loyalty_tier');
    await row('Loyalty Tier').getByLabel('Label').fill('Loyalty tier');
    await wizard.getByLabel('Country for local numbers').fill('US');

    // Dry run: nothing written, the bad row rejected with its column named.
    await wizard.getByRole('button', { name: 'Dry run' }).click();
    const preview = wizard.getByTestId('dry-run-table');
    await expect.poll(() => preview.getByTestId('dry-run-row').count()).toBe(4);
    const rejected = preview.locator('[data-testid="dry-run-row"][data-action="reject"]');
    expect(await rejected.count()).toBe(1);
    expect(await rejected.textContent()).toContain('Mobile');

    await wizard.getByRole('button', { name: 'Start import' }).click();
    await expect.poll(() => wizard.count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('job')).toMatch(/^\d+$/);
    importId = new URL(page.url()).searchParams.get('job')!;

    const job = page.locator(`[data-testid="job-row"][data-job-id="${importId}"]`);
    await expect.poll(() => job.getByRole('progressbar').getAttribute('aria-valuenow'), { timeout: 30_000 }).toBe('100');
    expect(await job.getAttribute('data-status')).toBe('completed');
    expect(await job.locator('[data-count="created"] dd').textContent()).toContain('3');
    expect(await job.locator('[data-count="rejected"] dd').textContent()).toContain('1');

    const [download] = await Promise.all([page.waitForEvent('download'), job.getByRole('link', { name: 'Download rejected rows' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const [header, ...lines] = text.trim().split(/\r?\n/);
    expect(header!.split(',')).toEqual(expect.arrayContaining(['Mobile', 'Given name', 'error']));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('not-a-phone');

    // The changed mapping took effect: names, tags and the new custom field on the contact.
    const filter = JSON.stringify({ field: 'phone', op: 'eq', value: '+12025550143' });
    const answer = await page.request.get(`${server.url}/api/workspaces/${ws}/contacts?filter=${encodeURIComponent(filter)}`);
    const [zoe] = (await answer.json()).items;
    expect(zoe).toMatchObject({ firstName: 'Zoë', lastName: 'Ng', fields: { loyalty_tier: 'gold' } });
    expect(zoe.tags).toEqual(expect.arrayContaining(['e2e-import', 'vip']));
  });

  it('ticks a shift-click range on the contacts page and tags it in a job linked to the Jobs page', { timeout: 60_000 }, async () => {
    const filter = JSON.stringify({ field: 'tags', op: 'hasAnyOf', value: ['e2e-import'] });
    await page.goto(`${server.url}/w/${ws}/contacts?filter=${encodeURIComponent(filter)}`);
    await expect.poll(() => page.getByTestId('contacts-count').textContent()).toBe('3 contacts');
    const rows = page.getByTestId('contact-row');
    await rows.nth(0).getByTestId('contact-select').click();
    await rows.nth(1).getByTestId('contact-select').click({ modifiers: ['Shift'] });
    const bar = page.getByTestId('bulk-bar');
    await expect.poll(() => bar.textContent()).toContain('2 contacts selected');

    await bar.getByRole('button', { name: 'Add tag…' }).click();
    const dialog = page.getByTestId('bulk-action-dialog');
    await dialog.getByLabel('Tag').fill('e2e-bulk');
    await dialog.getByRole('button', { name: 'Add tag', exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);

    const notices = page.getByTestId('job-notices');
    await expect.poll(() => notices.textContent()).toMatch(/completed/i);
    await notices.getByRole('link', { name: 'View on the Jobs page' }).click();
    await page.waitForURL(/\/jobs\?job=\d+/);
    const bulkId = new URL(page.url()).searchParams.get('job')!;
    const job = page.locator(`[data-testid="job-row"][data-job-id="${bulkId}"]`);
    await expect.poll(() => job.getAttribute('data-status')).toBe('completed');
    expect(await job.locator('[data-count="updated"] dd').textContent()).toContain('2');
    expect(await taggedNames()).toHaveLength(2);
  });

  it('undoes the import after a confirmation and lists the contacts it kept because they changed since', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/w/${ws}/jobs`);
    const imported = page.locator(`[data-testid="job-row"][data-job-id="${importId}"]`);
    await imported.getByRole('button', { name: 'Undo import…' }).click();
    const confirm = page.getByTestId('undo-import-dialog');
    await confirm.getByRole('button', { name: 'Undo import', exact: true }).click();
    await expect.poll(() => confirm.count()).toBe(0);

    await expect.poll(() => imported.getAttribute('data-status'), { timeout: 30_000 }).toBe('undone');
    const undo = page.locator('[data-testid="job-row"][data-kind="undo"]').first();
    await expect.poll(() => undo.getAttribute('data-status')).toBe('completed');
    // The two contacts tagged by the bulk action changed after the import: kept, and listed by name.
    const kept = undo.getByTestId('kept-contacts');
    expect(await kept.textContent()).toContain('2 contacts were kept');
    await kept.locator('summary').click();
    await expect.poll(async () => (await kept.getByRole('link').allTextContents()).sort()).toEqual(await taggedNames());
  });
});
