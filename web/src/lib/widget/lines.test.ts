import { describe, expect, it } from 'vitest';
import type { Message } from '@switchboard/shared';
import { chatLines, settle, upsertMessages, type Outgoing } from './lines';

const msg = (id: number, over: Partial<Message> = {}): Message => ({
  id: String(id),
  conversationId: '1',
  direction: 'in',
  authorKind: 'contact',
  agent: null,
  body: `m${id}`,
  externalId: `w-${id}`,
  deliveryStatus: null,
  createdAt: new Date(1_700_000_000_000 + id * 1000).toISOString(),
  ...over,
});

const pending = (clientMessageId: string, state: Outgoing['state'] = 'sending'): Outgoing => ({
  clientMessageId,
  body: 'hi',
  createdAt: new Date().toISOString(),
  state,
  error: null,
});

describe('upsertMessages', () => {
  it('adds by id, replaces a repeat, keeps time order', () => {
    const list = upsertMessages([msg(2)], [msg(3), msg(1), msg(2, { body: 'edited' })]);
    expect(list.map((m) => [m.id, m.body])).toEqual([
      ['1', 'm1'],
      ['2', 'edited'],
      ['3', 'm3'],
    ]);
  });
});

describe('settle', () => {
  it('drops the outgoing messages the server confirmed, by client message id', () => {
    const out = [pending('w-1'), pending('w-9', 'failed')];
    expect(settle(out, [msg(1)]).map((o) => o.clientMessageId)).toEqual(['w-9']);
    // An agent message with the same external id does not confirm a visitor's.
    expect(settle(out, [msg(5, { direction: 'out', authorKind: 'agent', externalId: 'w-9' })])).toBe(out);
  });
});

describe('chatLines', () => {
  it('puts the visitor on the right, names agents and the bot, hides system messages', () => {
    const lines = chatLines(
      [
        msg(1),
        msg(2, { direction: 'out', authorKind: 'agent', agent: { id: '7', name: 'Sam' }, externalId: 'k' }),
        msg(3, { direction: 'out', authorKind: 'bot', externalId: null }),
        msg(4, { direction: 'out', authorKind: 'system', externalId: null }),
      ],
      [pending('w-5')],
      'Acme',
    );
    expect(lines.map((l) => [l.author, l.mine, l.authorName, l.state])).toEqual([
      ['visitor', true, null, 'sent'],
      ['agent', false, 'Sam', 'sent'],
      ['bot', false, 'Acme', 'sent'],
      ['visitor', true, null, 'sending'],
    ]);
  });

  it('keeps the key of a message when the server confirms it', () => {
    const before = chatLines([], [pending('w-1')], null)[0]!.key;
    const after = chatLines([msg(1)], [], null)[0]!.key;
    expect(after).toBe(before);
  });
});
