import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, Message } from '@switchboard/shared';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));
const api = vi.hoisted(() => ({ conversationsApi: { get: vi.fn(), messages: vi.fn() } }));
vi.mock('$lib/api/conversations', () => api);
const rt = vi.hoisted(() => ({ realtime: { request: vi.fn(), signal: vi.fn() } }));
vi.mock('$lib/realtime', () => rt);

const { ConversationManager } = await import('./conversation.svelte');

const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m)).toISOString();
const me = { id: '5', name: 'Alex' };
const conversation: Conversation = {
  id: '10', channel: 'webchat', status: 'open', contact: { id: '7', name: 'Ann', avatarUrl: null, channelUserId: 'u' }, assignee: null,
  lastMessageAt: at(2), preview: 'hi', unreadCount: 2, segmentIds: [], createdAt: at(0),
};
const msg = (id: string, minute: number, over: Partial<Message> = {}): Message => ({
  id, conversationId: '10', direction: 'in', authorKind: 'contact', agent: null, body: `m${id}`, externalId: null, deliveryStatus: null, createdAt: at(minute), ...over,
});
const meta = { eventId: 1, at: at(0), replayed: false };

beforeEach(() => {
  vi.clearAllMocks();
  vi.useFakeTimers();
  api.conversationsApi.get.mockResolvedValue(conversation);
  api.conversationsApi.messages.mockResolvedValue({ items: [msg('1', 1), msg('2', 2)], hasMore: true });
  rt.realtime.request.mockImplementation(async (name: string) => (name === 'conversation:read' ? { ok: true, data: { ...conversation, unreadCount: 0 } } : { ok: true, data: null }));
});
afterEach(() => vi.useRealTimers());

async function opened() {
  const m = new ConversationManager('1', '10', me);
  await m.load();
  return m;
}

describe('ConversationManager', () => {
  it('loads the conversation and its newest messages, marks it read, and loads older ones before', async () => {
    const m = await opened();
    expect(m.status).toBe('ready');
    expect(m.messages.map((x) => x.id)).toEqual(['1', '2']);
    await vi.runAllTimersAsync();
    expect(rt.realtime.request).toHaveBeenCalledWith('conversation:read', { workspaceId: '1', conversationId: '10' });
    expect(m.conversation?.unreadCount).toBe(0);

    api.conversationsApi.messages.mockResolvedValueOnce({ items: [msg('0', 0)], hasMore: false });
    await m.loadOlder();
    expect(api.conversationsApi.messages).toHaveBeenLastCalledWith('1', '10', { before: '1', limit: 50 }, expect.anything());
    expect(m.messages.map((x) => x.id)).toEqual(['0', '1', '2']);
    expect(m.hasMore).toBe(false);
  });

  it('shows a reply at once, replaces it with the stored message, and upserts delivery updates by id', async () => {
    const m = await opened();
    let resolveAck!: (a: unknown) => void;
    rt.realtime.request.mockImplementationOnce(() => new Promise((r) => (resolveAck = r)));
    m.send('  On my way  ');
    expect(m.pending).toMatchObject([{ body: 'On my way', state: 'sending' }]);
    const key = m.pending[0]!.key;
    expect(rt.realtime.request).toHaveBeenLastCalledWith('message:send', { workspaceId: '1', conversationId: '10', body: 'On my way', idempotencyKey: key });

    // The broadcast can beat the ack: the pending copy goes as soon as either arrives.
    const stored = msg('3', 3, { direction: 'out', authorKind: 'agent', externalId: key, deliveryStatus: 'pending', body: 'On my way' });
    m.handlers['message:created']!(stored, meta);
    expect(m.pending).toEqual([]);
    resolveAck({ ok: true, data: stored });
    await vi.runAllTimersAsync();
    expect(m.messages.filter((x) => x.id === '3')).toHaveLength(1);

    m.handlers['message:created']!({ ...stored, deliveryStatus: 'delivered' }, meta);
    expect(m.messages.at(-1)!.deliveryStatus).toBe('delivered');
  });

  it('keeps a failed reply with its error and retries it with the same idempotency key', async () => {
    const m = await opened();
    rt.realtime.request.mockResolvedValueOnce({ ok: false, error: { code: 'unavailable', message: 'No answer' } });
    m.send('Hello');
    await vi.runAllTimersAsync();
    expect(m.pending).toMatchObject([{ state: 'failed', error: 'No answer' }]);
    const key = m.pending[0]!.key;

    const stored = msg('4', 4, { direction: 'out', authorKind: 'agent', externalId: key, deliveryStatus: 'sent', body: 'Hello' });
    rt.realtime.request.mockResolvedValueOnce({ ok: true, data: stored });
    m.retry(key);
    await vi.runAllTimersAsync();
    expect(rt.realtime.request).toHaveBeenCalledWith('message:send', expect.objectContaining({ idempotencyKey: key }));
    expect(m.pending).toEqual([]);
    expect(m.messages.at(-1)!.id).toBe('4');
  });

  it('shows who else is typing (never the agent itself) until they stop, send, or go quiet', async () => {
    const m = await opened();
    const typing = (who: { kind: string; id: string | null; name: string | null }, on: boolean) =>
      m.handlers['typing:updated']!({ workspaceId: '1', conversationId: '10', who, typing: on });
    typing({ kind: 'agent', id: '5', name: 'Alex' }, true);
    expect(m.typists).toEqual([]);
    typing({ kind: 'agent', id: '6', name: 'Sam' }, true);
    typing({ kind: 'contact', id: null, name: null }, true);
    expect(m.typists.map((t) => t.name)).toEqual(['Sam', 'Ann']);
    typing({ kind: 'agent', id: '6', name: 'Sam' }, false);
    expect(m.typists.map((t) => t.name)).toEqual(['Ann']);
    m.handlers['message:created']!(msg('9', 9), meta);
    expect(m.typists).toEqual([]);
  });

  it('sends its own typing, assigns and changes status through acks, and rejoins the room after a reconnect', async () => {
    const m = await opened();
    m.open();
    m.typing('h');
    expect(rt.realtime.signal).toHaveBeenCalledWith('typing:set', { workspaceId: '1', conversationId: '10', typing: true });
    rt.realtime.request.mockResolvedValueOnce({ ok: true, data: { ...conversation, assignee: { id: '5', name: 'Alex' } } });
    await m.assign('5');
    expect(m.conversation?.assignee?.id).toBe('5');
    rt.realtime.request.mockResolvedValueOnce({ ok: false, error: { code: 'forbidden', message: 'Not allowed' } });
    await m.setStatus('resolved');
    expect(m.actionError).toBe('Not allowed');

    rt.realtime.request.mockClear();
    m.handlers.connected!();
    expect(rt.realtime.request).toHaveBeenCalledWith('conversation:open', { workspaceId: '1', conversationId: '10' });
    m.dispose();
    expect(rt.realtime.signal).toHaveBeenLastCalledWith('typing:set', expect.objectContaining({ typing: false }));
    expect(rt.realtime.request).toHaveBeenLastCalledWith('conversation:close', { workspaceId: '1', conversationId: '10' });
  });
});
