import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeXhr } from '$lib/api/fake-xhr';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

const { ImportDraft } = await import('./import-draft.svelte');

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const uploaded = {
  jobId: '5',
  columns: ['Mobile', 'Name', 'Tier'],
  suggestedMapping: { Mobile: 'phone', Name: 'firstName', Tier: 'ignore' },
  preview: [
    ['+14155550100', 'Ann', 'gold'],
    ['nope', 'Bob', ''],
  ],
};

let fetch: ReturnType<typeof vi.fn>;
beforeEach(() => {
  fetch = vi.fn();
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  vi.stubGlobal('location', { pathname: '/w/7/jobs', search: '' });
});
afterEach(() => vi.unstubAllGlobals());

async function uploadedDraft() {
  fetch.mockResolvedValueOnce(json(200, [])); // the workspace's custom fields
  const draft = new ImportDraft('7');
  const choosing = draft.choose(new File(['x'], 'people.csv'));
  expect(draft.uploading).toBe(true);
  FakeXhr.last!.progress(1, 1);
  expect(draft.progress).toEqual({ loaded: 1, total: 1 });
  FakeXhr.last!.respond(201, uploaded);
  await choosing;
  return draft;
}

describe('ImportDraft', () => {
  it('goes from the file to the mapping with the guessed targets', async () => {
    const draft = await uploadedDraft();
    expect(draft.step).toBe('map');
    expect(draft.uploading).toBe(false);
    expect(draft.rows.map((r) => [r.column, r.target, r.samples])).toEqual([
      ['Mobile', 'phone', ['+14155550100', 'nope']],
      ['Name', 'firstName', ['Ann', 'Bob']],
      ['Tier', 'ignore', ['gold']],
    ]);
  });

  it('says what is wrong with the file next to it', async () => {
    const draft = new ImportDraft('7');
    fetch.mockResolvedValueOnce(json(200, []));
    const choosing = draft.choose(new File(['x'], 'people.csv'));
    FakeXhr.last!.respond(400, { code: 'validation', message: 'The file is not UTF-8: invalid bytes on line 3.' });
    await choosing;
    expect(draft.step).toBe('file');
    expect(draft.errors.file).toBe('The file is not UTF-8: invalid bytes on line 3.');

    await draft.choose(new File([], 'empty.csv'));
    expect(draft.errors.file).toBe('“empty.csv” is empty.');
  });

  it('runs a dry run of the changed mapping and shows the rows', async () => {
    const draft = await uploadedDraft();
    draft.setTarget('Tier', 'new');
    draft.setOption('defaultCountry', 'US');
    const result = { rows: [{ line: 2, action: 'create', errors: [], values: { phone: '+14155550100' } }] };
    fetch.mockResolvedValueOnce(json(200, result));
    expect(await draft.check()).toBe(true);
    expect(draft.step).toBe('preview');
    expect(draft.dryRun).toEqual(result);
    const [url, init] = fetch.mock.lastCall!;
    expect(url).toBe('/api/workspaces/7/imports/5/start');
    expect(JSON.parse(init.body)).toEqual({
      mapping: { Mobile: 'phone', Name: 'firstName', Tier: 'custom.tier' },
      channel: 'sms',
      defaultCountry: 'US',
      onExisting: 'skip',
      createFields: [{ column: 'Tier', key: 'tier', label: 'Tier', type: 'text' }],
      dryRun: true,
    });
  });

  it("checks before asking: nothing is sent while the console sees a mistake, and fixing it clears the message", async () => {
    const draft = await uploadedDraft();
    draft.setTarget('Mobile', 'ignore');
    draft.setOption('defaultCountry', 'usa');
    expect(await draft.check()).toBe(false);
    expect(fetch).toHaveBeenCalledTimes(1); // the custom fields only
    expect(draft.errors['mapping:Mobile']).toMatch(/Phone/);
    expect(draft.errors.defaultCountry).toBe('must be a two-letter country code');
    draft.setTarget('Mobile', 'phone');
    draft.setOption('defaultCountry', 'US');
    expect(draft.errors).toEqual({});
  });

  it("puts the server's 400 next to the input it names and back on the mapping step", async () => {
    const draft = await uploadedDraft();
    fetch.mockResolvedValueOnce(
      json(400, { code: 'validation', message: 'Invalid body', details: [{ path: 'mapping.Name', message: 'firstName is mapped twice' }] }),
    );
    expect(await draft.start()).toBeNull();
    expect(draft.step).toBe('map');
    expect(draft.errors['mapping:Name']).toBe('firstName is mapped twice');
    expect(draft.general).toEqual([]);
    draft.setTarget('Name', 'lastName');
    expect(draft.errors['mapping:Name']).toBeUndefined();
  });

  it('starts the import and answers its job id', async () => {
    const draft = await uploadedDraft();
    fetch.mockResolvedValueOnce(json(202, { jobId: '5' }));
    expect(await draft.start()).toBe('5');
    expect(JSON.parse(fetch.mock.lastCall![1].body).dryRun).toBe(false);
  });
});
