import { describe, expect, it } from 'vitest';
import type { Message } from '@switchboard/shared';
import { prependOlder, settle, upsertMessage, type PendingReply } from './messages';

const msg = (id: string, minute: number, over: Partial<Message> = {}): Message => ({
  id,
  conversationId: '1',
  direction: 'in',
  authorKind: 'contact',
  agent: null,
  body: `m${id}`,
  externalId: null,
  deliveryStatus: null,
  createdAt: new Date(Date.UTC(2026, 0, 1, 12, minute)).toISOString(),
  ...over,
});
const ids = (list: Message[]) => list.map((m) => m.id);

describe('upsertMessage', () => {
  it('appends a new message, sorts one that arrives late, and updates a repeat by id', () => {
    let list = [msg('1', 1), msg('2', 2)];
    list = upsertMessage(list, msg('4', 4));
    list = upsertMessage(list, msg('3', 3));
    expect(ids(list)).toEqual(['1', '2', '3', '4']);
    list = upsertMessage(list, msg('3', 3, { body: 'edited' }));
    expect(ids(list)).toEqual(['1', '2', '3', '4']);
    expect(list[2]!.body).toBe('edited');
  });

  it('moves a delivery status forward only', () => {
    const out = (status: Message['deliveryStatus']) => msg('9', 9, { direction: 'out', authorKind: 'agent', deliveryStatus: status });
    let list = upsertMessage([], out('pending'));
    list = upsertMessage(list, out('delivered'));
    expect(list[0]!.deliveryStatus).toBe('delivered');
    const same = upsertMessage(list, out('sent'));
    expect(same).toBe(list);
    expect(upsertMessage([out('sent')], out('failed'))[0]!.deliveryStatus).toBe('failed');
    expect(upsertMessage([out('failed')], out('sent'))[0]!.deliveryStatus).toBe('sent');
    const failed = [out('failed')];
    expect(upsertMessage(failed, out('pending'))).toBe(failed);
  });
});

describe('prependOlder', () => {
  it('puts an older page first and skips ids already shown', () => {
    expect(ids(prependOlder([msg('3', 3), msg('4', 4)], [msg('1', 1), msg('2', 2), msg('3', 3)]))).toEqual(['1', '2', '3', '4']);
  });
});

describe('settle', () => {
  it('drops the pending copy of a reply once its message (same key) is stored', () => {
    const pending: PendingReply[] = [
      { key: 'k-1', body: 'a', createdAt: '', state: 'sending', error: null },
      { key: 'k-2', body: 'b', createdAt: '', state: 'failed', error: 'x' },
    ];
    const stored = msg('7', 7, { direction: 'out', authorKind: 'agent', externalId: 'k-2', deliveryStatus: 'pending' });
    expect(settle(pending, stored).map((p) => p.key)).toEqual(['k-1']);
    expect(settle(pending, msg('8', 8, { externalId: 'k-1' }))).toBe(pending);
  });
});
