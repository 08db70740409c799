import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('$app/navigation', () => ({ goto: vi.fn(() => Promise.resolve()) }));

const { ContactsView } = await import('./contacts.svelte');

function contact(id: string) {
  const t = '2024-05-01T09:30:00.000Z';
  return {
    id,
    channel: 'sms' as const,
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

describe('ContactsView after bulk changes (contacts:changed)', () => {
  const meta = { eventId: 1, at: '2026-01-01T00:00:00.000Z', replayed: false };
  const urls = () => fetch.mock.calls.map((c) => new URL(c[0] as string, 'http://x'));
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('re-reads the rows and the count once for a burst of events, without a spinner', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1', '2'], null, 2)));
    const view = new ContactsView('7');
    await view.load(query);
    fetch.mockResolvedValueOnce(json(200, page(['1', '2', '3'], null, 3)));
    for (let i = 0; i < 5; i++) view.handlers['contacts:changed']!({ jobId: '4', contactIds: [String(i)], deleted: false }, meta);
    await vi.advanceTimersByTimeAsync(100);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(view.loading).toBe(false);
    await vi.advanceTimersByTimeAsync(400);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(view.items.map((c) => c.id)).toEqual(['1', '2', '3']);
    expect(view.count).toEqual({ value: 3, exact: true });
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('during a long import, still refreshes every few hundred ms rather than once at the end', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1'], null, 1)));
    const view = new ContactsView('7');
    await view.load(query);
    fetch.mockImplementation(async () => json(200, page(['1'], null, 1)));
    for (let t = 0; t < 2000; t += 100) {
      view.contactsChanged({ jobId: '4', contactIds: ['1'], deleted: false });
      await vi.advanceTimersByTimeAsync(100);
    }
    // 1 load + one refresh per 400 ms: a handful, not one per event (20) nor none until the end.
    expect(fetch.mock.calls.length - 1).toBeGreaterThanOrEqual(4);
    expect(fetch.mock.calls.length - 1).toBeLessThanOrEqual(5);
  });

  it('re-reads as many rows as were loaded, so the scroll position stays', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1', '2'], 'c2', 300)));
    const view = new ContactsView('7');
    await view.load(query);
    // As if scrolled down to 250 rows: the refresh needs two of the API's largest pages.
    view.items = Array.from({ length: 250 }, (_, i) => contact(String(i + 1)));
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(from + i));
    fetch.mockResolvedValueOnce(json(200, page(ids(1, 200), 'r200', 300))).mockResolvedValueOnce(json(200, page(ids(201, 200), 'r400', 300)));
    view.contactsChanged({ jobId: '4', contactIds: ['5'], deleted: false });
    await vi.runAllTimersAsync();
    expect(urls().slice(1).map((u) => [u.searchParams.get('limit'), u.searchParams.get('cursor')])).toEqual([['200', null], ['200', 'r200']]);
    expect(view.items).toHaveLength(400);
    expect(view.nextCursor).toBe('r400');
  });

  it('drops erased rows at once and counts them out, then refreshes', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1', '2', '3'], null, 3)));
    const view = new ContactsView('7');
    await view.load(query);
    fetch.mockResolvedValueOnce(json(200, page(['2'], null, 1)));
    view.handlers['contacts:changed']!({ jobId: '4', contactIds: ['1'], ranges: [['3', '8']], deleted: true }, meta);
    expect(view.items.map((c) => c.id)).toEqual(['2']);
    expect(view.count).toEqual({ value: 1, exact: true });
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('applies single-contact pushes in place, without a re-read', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1', '2', '3'], null, 3)));
    const view = new ContactsView('7');
    await view.load(query);
    view.handlers['contact:updated']!({ contact: { ...contact('2'), name: 'Renamed', segmentIds: [] }, changes: [], by: null }, meta);
    view.handlers['contact:deleted']!({ contactId: '3' }, meta);
    expect(view.items.map((c) => c.name)).toEqual(['Contact 1', 'Renamed']);
    expect(view.count).toEqual({ value: 2, exact: true });
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('keeps the rows shown when the refresh fails, and stops with the view', async () => {
    fetch.mockResolvedValueOnce(json(200, page(['1'], null, 1)));
    const view = new ContactsView('7');
    await view.load(query);
    fetch.mockResolvedValueOnce(json(500, { code: 'internal', message: 'boom' }));
    view.contactsChanged({ jobId: '4', contactIds: ['1'], deleted: false });
    await vi.runAllTimersAsync();
    expect(view.items.map((c) => c.id)).toEqual(['1']);
    expect(view.error).toBeNull();

    view.contactsChanged({ jobId: '4', contactIds: ['1'], deleted: false });
    view.dispose();
    await vi.runAllTimersAsync();
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
