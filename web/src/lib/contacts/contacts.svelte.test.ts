import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

const { ContactsView } = await import('./contacts.svelte');

function contact(id: string) {
  const t = '2024-05-01T09:30:00.000Z';
  return {
    id,
    channel: 'sms',
    channelUserId: `+1415555${id.padStart(4, '0')}`,
    name: `Contact ${id}`,
    firstName: null,
    lastName: null,
    gender: null,
    language: null,
    timezone: null,
    avatarUrl: null,
    email: null,
    phone: null,
    country: null,
    subscribedAt: t,
    lastInteractionAt: t,
    createdAt: t,
    updatedAt: t,
    tags: [],
    fields: {},
    version: 1,
  };
}

const page = (ids: string[], nextCursor: string | null, value = 3) => ({
  items: ids.map(contact),
  nextCursor,
  count: { value, exact: true },
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });
const query = { q: '', filter: null, segmentId: null, sort: 'lastInteractionAt:desc' as const };

let fetch: ReturnType<typeof vi.fn>;
beforeEach(() => {
  fetch = vi.fn();
  vi.stubGlobal('fetch', fetch);
  vi.stubGlobal('location', { pathname: '/w/1/contacts', search: '' });
});
afterEach(() => vi.unstubAllGlobals());

describe('ContactsView', () => {
  it('loads the first page, then the next by cursor, skipping rows it already has', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1', '2'], 'c2'))).mockResolvedValueOnce(json(200, page(['2', '3'], null)));
    const view = new ContactsView('7');
    await view.load(query);
    expect(view.items.map((c) => c.id)).toEqual(['1', '2']);
    expect(view.count).toEqual({ value: 3, exact: true });
    expect(view.hasMore).toBe(true);
    expect(fetch.mock.calls[0]![0]).toBe('/api/workspaces/7/contacts?sort=lastInteractionAt%3Adesc&limit=100');

    await view.loadMore();
    expect(fetch.mock.calls[1]![0]).toContain('cursor=c2');
    expect(view.items.map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(view.hasMore).toBe(false);
    await view.loadMore();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('sends the filter as JSON and does not ask twice for the same query', async () => {
    fetch.mockResolvedValue(json(200, page(['1'], null, 1)));
    const view = new ContactsView('7');
    const filter = { and: [{ field: 'email', op: 'isSet' }] };
    await view.load({ ...query, filter, q: 'ana' });
    await view.load({ ...query, filter, q: 'ana' });
    expect(fetch).toHaveBeenCalledTimes(1);
    const url = new URL(fetch.mock.calls[0]![0] as string, 'http://x');
    expect(JSON.parse(url.searchParams.get('filter')!)).toEqual(filter);
    expect(url.searchParams.get('q')).toBe('ana');
  });

  it('shows only the answer of the latest query when an older one answers late', async () => {
    let answerFirst: (r: Response) => void = () => {};
    fetch
      .mockImplementationOnce(
        (_url: string, init: RequestInit) =>
          new Promise<Response>((resolve, reject) => {
            answerFirst = resolve;
            init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      )
      .mockResolvedValueOnce(json(200, page(['9'], null, 1)));
    const view = new ContactsView('7');
    const first = view.load(query);
    await view.load({ ...query, q: 'new' });
    answerFirst(json(200, page(['1'], null)));
    await first;
    expect(view.items.map((c) => c.id)).toEqual(['9']);
    expect(view.loading).toBe(false);
  });

  it('keeps the error of a refused filter for the builder, and retries on reload', async () => {
    const details = [{ path: 'and[0].value', message: 'must be a finite number' }];
    fetch.mockResolvedValueOnce(json(400, { code: 'validation', message: 'Invalid filter', details }));
    fetch.mockResolvedValueOnce(json(200, page(['1'], null, 1)));
    const view = new ContactsView('7');
    await view.load(query);
    expect(view.error).toMatchObject({ status: 400, code: 'validation', details });
    expect(view.items).toEqual([]);
    await view.reload();
    expect(view.error).toBeNull();
    expect(view.items).toHaveLength(1);
  });

  it('replaces a changed contact in place', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1', '2'], null, 2)));
    const view = new ContactsView('7');
    await view.load(query);
    view.replace({ ...view.items[1]!, name: 'Renamed' });
    expect(view.items.map((c) => c.name)).toEqual(['Contact 1', 'Renamed']);
  });
});
