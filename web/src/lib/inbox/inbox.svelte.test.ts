import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contact, Conversation, Message } from '@switchboard/shared';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));
const api = vi.hoisted(() => ({ conversationsApi: { list: vi.fn() } }));
vi.mock('$lib/api/conversations', () => api);

const { InboxManager } = await import('./inbox.svelte');
const { defaultFilter } = await import('./filters');

const ME = '5';
const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m)).toISOString();
function conv(id: string, minute: number, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    channel: 'webchat',
    status: 'open',
    contact: { id: `c${id}`, name: `Contact ${id}`, avatarUrl: null, channelUserId: `u${id}` },
    assignee: null,
    lastMessageAt: at(minute),
    preview: '',
    unreadCount: 0,
    segmentIds: [],
    createdAt: at(0),
    ...over,
  };
}
const ids = (items: Conversation[]) => items.map((c) => c.id);
const meta = { eventId: 1, at: at(0), replayed: false };

beforeEach(() => {
  vi.clearAllMocks();
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

async function loaded(items: Conversation[], filter = defaultFilter, nextCursor: string | null = null) {
  api.conversationsApi.list.mockResolvedValueOnce({ items, nextCursor });
  const m = new InboxManager('1', ME);
  await m.load(filter);
  return m;
}

describe('InboxManager', () => {
  it('loads the first page for the filter and pages on by cursor without repeating rows', async () => {
    const m = await loaded([conv('3', 30), conv('2', 20)], defaultFilter, 'next');
    expect(api.conversationsApi.list).toHaveBeenLastCalledWith('1', { segmentId: undefined, status: 'open', assignee: 'all', cursor: undefined, limit: 50 }, expect.anything());
    api.conversationsApi.list.mockResolvedValueOnce({ items: [conv('2', 20), conv('1', 10)], nextCursor: null });
    await m.loadMore();
    expect(ids(m.items)).toEqual(['3', '2', '1']);
    expect(m.complete).toBe(true);
  });

  it('shows a new conversation at once, moves one with a new message to the top, and drops a resolved one', async () => {
    const m = await loaded([conv('3', 30), conv('2', 20)]);
    m.handlers['conversation:upserted']!(conv('9', 40, { unreadCount: 1, preview: 'hello' }), meta);
    expect(ids(m.items)).toEqual(['9', '3', '2']);

    const message: Message = {
      id: '77', conversationId: '2', direction: 'in', authorKind: 'contact', agent: null, body: 'any news?', externalId: 'x', deliveryStatus: null, createdAt: at(50),
    };
    m.handlers['message:created']!(message, meta);
    expect(ids(m.items)).toEqual(['2', '9', '3']);
    expect(m.items[0]).toMatchObject({ preview: 'any news?', unreadCount: 1 });
    // The same message again (replayed) changes nothing.
    m.handlers['message:created']!(message, meta);
    expect(m.items[0]!.unreadCount).toBe(1);

    m.handlers['conversation:upserted']!(conv('3', 30, { status: 'resolved' }), meta);
    expect(ids(m.items)).toEqual(['2', '9']);
  });

  it('keeps "mine" to the signed-in agent', async () => {
    const m = await loaded([], { ...defaultFilter, assignee: 'me' });
    m.upserted(conv('1', 10, { assignee: { id: '6', name: 'Sam' } }));
    m.upserted(conv('2', 11, { assignee: { id: ME, name: 'Me' } }));
    expect(ids(m.items)).toEqual(['2']);
    m.upserted(conv('2', 11, { assignee: null }));
    expect(m.items).toEqual([]);
  });

  it('in a segment inbox, adds the conversations of a contact that enters the segment and drops those of one that leaves', async () => {
    const vip = { ...defaultFilter, segmentId: '9' };
    const m = await loaded([conv('1', 10, { segmentIds: ['9'] })], vip);
    // A conversation this tab saw (pushed earlier) whose contact now enters the segment shows at once…
    m.upserted(conv('2', 20));
    expect(ids(m.items)).toEqual(['1']);
    m.handlers['segment:membership']!({ segmentId: '9', contactId: 'c2', member: true }, meta);
    expect(ids(m.items)).toEqual(['2', '1']);
    // …and those it never saw come with one refetch of the first page, whatever the number of events.
    api.conversationsApi.list.mockResolvedValueOnce({ items: [conv('4', 40, { segmentIds: ['9'] }), conv('2', 20, { segmentIds: ['9'] }), conv('1', 10, { segmentIds: ['9'] })], nextCursor: null });
    m.membership({ segmentId: '9', contactId: 'c4', member: true });
    m.membership({ segmentId: '9', contactId: 'c5', member: true });
    await vi.runAllTimersAsync();
    expect(api.conversationsApi.list).toHaveBeenCalledTimes(2);
    expect(ids(m.items)).toEqual(['4', '2', '1']);

    m.handlers['segment:membership']!({ segmentId: '9', contactId: 'c1', member: false }, meta);
    expect(ids(m.items)).toEqual(['4', '2']);
    // Another segment's events leave this inbox alone.
    m.membership({ segmentId: '8', contactId: 'c4', member: false });
    expect(ids(m.items)).toEqual(['4', '2']);
  });

  it('follows contact changes in rows (name, segments) and drops an erased contact', async () => {
    const m = await loaded([conv('1', 10), conv('2', 20)]);
    const contact = { id: 'c1', name: 'Renamed', avatarUrl: null, segmentIds: ['3'] } as unknown as Contact & { segmentIds: string[] };
    m.handlers['contact:updated']!({ contact, changes: [], by: null }, meta);
    expect(m.items.find((c) => c.id === '1')).toMatchObject({ contact: { name: 'Renamed' }, segmentIds: ['3'] });
    m.handlers['contact:deleted']!({ contactId: 'c2' }, meta);
    expect(ids(m.items)).toEqual(['1']);
  });

  it('drops the conversations of contacts erased in bulk', async () => {
    const m = await loaded([conv('3', 30), conv('2', 20), conv('1', 10)]);
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: ['c1', 'c3', 'c99'], deleted: true }, meta);
    expect(ids(m.items)).toEqual(['2']);
    await vi.runAllTimersAsync();
    expect(api.conversationsApi.list).toHaveBeenCalledTimes(1);
  });

  it('finds erased contacts inside the ranges of a summary', async () => {
    const withContact = (id: string, contactId: string) => conv(id, Number(id), { contact: { id: contactId, name: 'x', avatarUrl: null, channelUserId: 'u' } });
    const m = await loaded([withContact('3', '41'), withContact('2', '45'), withContact('1', '46')]);
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: [], ranges: [['40', '45']], deleted: true }, meta);
    expect(ids(m.items)).toEqual(['1']);
  });

  it('refetches once for a burst of bulk changes to shown contacts, and takes their rows from it', async () => {
    const m = await loaded([conv('2', 20), conv('1', 10)]);
    api.conversationsApi.list.mockResolvedValueOnce({ items: [conv('2', 20), conv('1', 10, { contact: { id: 'c1', name: 'Imported', avatarUrl: 'a.png', channelUserId: 'u1' }, segmentIds: ['9'] })], nextCursor: null });
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: ['c1'], deleted: false }, meta);
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: ['c1', 'c2'], deleted: false }, meta);
    await vi.runAllTimersAsync();
    expect(api.conversationsApi.list).toHaveBeenCalledTimes(2);
    expect(m.items.find((c) => c.id === '1')).toMatchObject({ contact: { name: 'Imported', avatarUrl: 'a.png' }, segmentIds: ['9'] });
    expect(ids(m.items)).toEqual(['2', '1']);
  });

  it('leaves an unfiltered inbox alone when none of its contacts changed', async () => {
    const m = await loaded([conv('1', 10)]);
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: ['c7'], deleted: false }, meta);
    await vi.runAllTimersAsync();
    expect(api.conversationsApi.list).toHaveBeenCalledTimes(1);
  });

  it('in a segment inbox, refetches on any bulk change: contacts may have joined or left', async () => {
    const vip = { ...defaultFilter, segmentId: '9' };
    const m = await loaded([conv('2', 20, { segmentIds: ['9'] }), conv('1', 10, { segmentIds: ['9'] })], vip);
    // c5 was not listed but entered the segment; c1 left it (the fresh page, complete, no longer has it).
    api.conversationsApi.list.mockResolvedValueOnce({ items: [conv('5', 50, { segmentIds: ['9'] }), conv('2', 20, { segmentIds: ['9'] })], nextCursor: null });
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: ['c5'], deleted: false }, meta);
    m.handlers['contacts:changed']!({ jobId: '4', contactIds: ['c1'], deleted: false }, meta);
    await vi.runAllTimersAsync();
    expect(api.conversationsApi.list).toHaveBeenCalledTimes(2);
    expect(api.conversationsApi.list).toHaveBeenLastCalledWith('1', expect.objectContaining({ segmentId: '9' }));
    expect(ids(m.items)).toEqual(['5', '2']);
  });

  it('keeps a changed row the fresh first page cannot speak for (it sorts after that page)', async () => {
    const vip = { ...defaultFilter, segmentId: '9' };
    const m = await loaded([conv('3', 30, { segmentIds: ['9'] }), conv('1', 10, { segmentIds: ['9'] })], vip);
    api.conversationsApi.list.mockResolvedValueOnce({ items: [conv('3', 30, { segmentIds: ['9'] })], nextCursor: 'more' });
    m.contactsChanged({ jobId: '4', contactIds: ['c1'], deleted: false });
    await vi.runAllTimersAsync();
    expect(ids(m.items)).toEqual(['3', '1']);
  });

  it('keeps a conversation pushed while the first page was on its way', async () => {
    let answer!: (page: unknown) => void;
    api.conversationsApi.list.mockReturnValueOnce(new Promise((r) => (answer = r)));
    const m = new InboxManager('1', ME);
    const loading = m.load(defaultFilter);
    m.upserted(conv('9', 90, { preview: 'just now' }));
    answer({ items: [conv('3', 30)], nextCursor: null });
    await loading;
    expect(ids(m.items)).toEqual(['9', '3']);
  });

  it('reloads on resync', async () => {
    const m = await loaded([conv('1', 10)]);
    api.conversationsApi.list.mockResolvedValueOnce({ items: [conv('5', 50)], nextCursor: null });
    m.handlers.resync!();
    await vi.runAllTimersAsync();
    expect(ids(m.items)).toEqual(['5']);
  });
});
