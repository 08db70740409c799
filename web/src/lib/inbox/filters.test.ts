import { describe, expect, it } from 'vitest';
import type { Conversation } from '@switchboard/shared';
import { addMissing, byActivity, compareIds, defaultFilter, matches, place, readFilter, withMembership, writeFilter, type InboxFilter } from './filters';

const ME = '5';
let minute = 0;
function conv(id: string, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    channel: 'webchat',
    status: 'open',
    contact: { id: `c${id}`, name: `Contact ${id}`, avatarUrl: null, channelUserId: `u${id}` },
    assignee: null,
    lastMessageAt: new Date(Date.UTC(2026, 0, 1, 12, minute++)).toISOString(),
    preview: '',
    unreadCount: 0,
    segmentIds: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}
const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 12, m)).toISOString();
const ids = (items: Conversation[]) => items.map((c) => c.id);
const f = (over: Partial<InboxFilter> = {}): InboxFilter => ({ ...defaultFilter, ...over });

describe('inbox URL', () => {
  it('reads and writes the filter, leaving defaults out and ignoring junk', () => {
    expect(readFilter(new URLSearchParams(''))).toEqual(defaultFilter);
    const filter = readFilter(new URLSearchParams('segment=12&status=resolved&assignee=me'));
    expect(filter).toEqual({ segmentId: '12', status: 'resolved', assignee: 'me' });
    expect(writeFilter(filter)).toBe('?segment=12&status=resolved&assignee=me');
    expect(writeFilter(defaultFilter)).toBe('');
    expect(readFilter(new URLSearchParams('segment=x&status=closed&assignee=bob'))).toEqual(defaultFilter);
  });
});

describe('matches', () => {
  it('checks status, assignee against the signed-in agent, and the segment', () => {
    const mine = conv('1', { assignee: { id: ME, name: 'Me' }, segmentIds: ['9'] });
    expect(matches(mine, f(), ME)).toBe(true);
    expect(matches(mine, f({ status: 'resolved' }), ME)).toBe(false);
    expect(matches(mine, f({ status: 'all' }), ME)).toBe(true);
    expect(matches(mine, f({ assignee: 'me' }), ME)).toBe(true);
    expect(matches(mine, f({ assignee: 'me' }), '6')).toBe(false);
    expect(matches(mine, f({ assignee: 'unassigned' }), ME)).toBe(false);
    expect(matches(conv('2'), f({ assignee: 'unassigned' }), ME)).toBe(true);
    expect(matches(mine, f({ segmentId: '9' }), ME)).toBe(true);
    expect(matches(mine, f({ segmentId: '8' }), ME)).toBe(false);
  });
});

describe('order', () => {
  it('puts the newest activity first, then the higher id, with ids compared as numbers', () => {
    expect(compareIds('10', '9')).toBeGreaterThan(0);
    expect(compareIds('12345678901234567', '12345678901234568')).toBeLessThan(0);
    const a = conv('9', { lastMessageAt: at(5) });
    const b = conv('10', { lastMessageAt: at(5) });
    const c = conv('1', { lastMessageAt: at(6) });
    expect(ids([a, b, c].sort(byActivity))).toEqual(['1', '10', '9']);
  });
});

describe('place', () => {
  const rows = () => [conv('3', { lastMessageAt: at(30) }), conv('2', { lastMessageAt: at(20) }), conv('1', { lastMessageAt: at(10) })];

  it('inserts a new matching conversation at its place and moves an updated one to the top', () => {
    expect(ids(place(rows(), conv('4', { lastMessageAt: at(25) }), f(), ME, true))).toEqual(['3', '4', '2', '1']);
    const moved = place(rows(), conv('1', { lastMessageAt: at(40), preview: 'new' }), f(), ME, true);
    expect(ids(moved)).toEqual(['1', '3', '2']);
    expect(moved[0]!.preview).toBe('new');
  });

  it('updates in place without moving when the order is unchanged', () => {
    const out = place(rows(), conv('2', { lastMessageAt: at(20), unreadCount: 3 }), f(), ME, true);
    expect(ids(out)).toEqual(['3', '2', '1']);
    expect(out[1]!.unreadCount).toBe(3);
  });

  it('removes a conversation that no longer matches (resolved, reassigned, left the segment)', () => {
    expect(ids(place(rows(), conv('2', { lastMessageAt: at(20), status: 'resolved' }), f(), ME, true))).toEqual(['3', '1']);
    const mine = f({ assignee: 'me' });
    const list = [conv('7', { assignee: { id: ME, name: 'Me' } })];
    expect(place(list, { ...list[0]!, assignee: { id: '6', name: 'Sam' } }, mine, ME, true)).toEqual([]);
    const vip = f({ segmentId: '9' });
    const inVip = [conv('8', { segmentIds: ['9'] })];
    expect(place(inVip, { ...inVip[0]!, segmentIds: [] }, vip, ME, true)).toEqual([]);
  });

  it('leaves out a conversation that belongs to a page not loaded yet, but adds it when every page is loaded', () => {
    const old = conv('0', { lastMessageAt: at(1) });
    expect(ids(place(rows(), old, f(), ME, false))).toEqual(['3', '2', '1']);
    expect(ids(place(rows(), old, f(), ME, true))).toEqual(['3', '2', '1', '0']);
  });

  it('returns the same array when nothing changes, so nothing re-renders', () => {
    const list = rows();
    expect(place(list, conv('5', { status: 'resolved' }), f(), ME, true)).toBe(list);
  });
});

describe('segment membership', () => {
  it('adds or drops a segment id, and a refetched page adds only what is missing', () => {
    const c = conv('1', { segmentIds: ['3'] });
    expect(withMembership(c, '9', true).segmentIds).toEqual(['3', '9']);
    expect(withMembership(c, '3', false).segmentIds).toEqual([]);
    expect(withMembership(c, '3', true)).toBe(c);

    const vip = f({ segmentId: '9' });
    const shown = [conv('5', { segmentIds: ['9'], lastMessageAt: at(50) })];
    const page = [conv('6', { segmentIds: ['9'], lastMessageAt: at(55) }), { ...shown[0]!, preview: 'stale' }];
    const out = addMissing(shown, page, vip, ME, true);
    expect(ids(out)).toEqual(['6', '5']);
    expect(out[1]).toBe(shown[0]);
  });
});
