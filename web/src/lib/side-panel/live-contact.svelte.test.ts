import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContactDetail } from '@switchboard/shared';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));
const api = vi.hoisted(() => ({
  contactDetailApi: { get: vi.fn(), patch: vi.fn() },
  catalogueApi: { fields: vi.fn(), tags: vi.fn() },
  layoutApi: { get: vi.fn() },
}));
vi.mock('$lib/api/contact-detail', () => api);
const rt = vi.hoisted(() => ({ realtime: { request: vi.fn() } }));
vi.mock('$lib/realtime', () => rt);

const { ContactDetailManager } = await import('$lib/contact-detail/contact.svelte');
const { LiveContact, NOTICE_MS } = await import('./live-contact.svelte');

const at = '2026-01-01T00:00:00.000Z';
function detail(over: Partial<ContactDetail> = {}): ContactDetail {
  return {
    id: '7', channel: 'sms', channelUserId: '+33600000000', name: 'Ann Lee', firstName: 'Ann', lastName: 'Lee', gender: null,
    language: 'en', timezone: null, avatarUrl: null, email: null, phone: null, country: null, subscribedAt: at, lastInteractionAt: at,
    createdAt: at, updatedAt: at, tags: [], fields: { plan: 'silver' }, version: 3, sequences: [], otnTopics: [], notes: [], segmentIds: [],
    ...over,
  };
}
const plain = (d: ContactDetail) => {
  const { notes: _n, sequences: _s, otnTopics: _o, ...rest } = d;
  return rest;
};
const sam = { kind: 'agent', id: '6', name: 'Sam' };
const live = { eventId: 9, at, replayed: false };

beforeEach(() => {
  vi.clearAllMocks();
  vi.useFakeTimers();
  api.contactDetailApi.get.mockResolvedValue(detail());
  api.catalogueApi.fields.mockResolvedValue([{ id: '1', key: 'plan', label: 'Plan', type: 'select', options: ['silver', 'gold'], position: 0 }]);
  api.layoutApi.get.mockResolvedValue({ fields: [], scope: 'default' });
  rt.realtime.request.mockResolvedValue({ ok: true, data: { viewers: [{ agentId: '5', name: 'Me' }, { agentId: '6', name: 'Sam' }] } });
});
afterEach(() => vi.useRealTimers());

async function panel() {
  const d = new ContactDetailManager('1', '7');
  await d.load();
  const l = new LiveContact('1', '7', '5', d);
  return { d, l };
}

describe('LiveContact', () => {
  it('applies a change by someone else in place and says who changed what, with the field label', async () => {
    const { d, l } = await panel();
    const before = d.contact;
    l.handlers['contact:updated']!({ contact: plain(detail({ version: 4, fields: { plan: 'gold' } })), changes: [{ path: 'custom.plan', from: 'silver', to: 'gold' }], by: sam }, live);
    expect(d.contact).toBe(before);
    expect(d.contact?.fields.plan).toBe('gold');
    expect(l.notices.map((n) => n.text)).toEqual(['Sam changed Plan: silver → gold']);
    vi.advanceTimersByTime(NOTICE_MS);
    expect(l.notices).toEqual([]);
  });

  it('stays quiet for its own changes, catch-up, stale pushes, empty changes and other contacts', async () => {
    const { d, l } = await panel();
    const push = (over: Partial<ContactDetail>, by = sam, meta = live, changes = [{ path: 'custom.plan', from: 'silver', to: 'gold' }]) =>
      l.handlers['contact:updated']!({ contact: plain(detail(over)), changes, by }, meta);
    push({ version: 4 }, { kind: 'agent', id: '5', name: 'Me' });
    push({ version: 5 }, sam, { ...live, replayed: true });
    push({ version: 2, fields: { plan: 'stale' } });
    push({ version: 6 }, sam, live, []);
    push({ id: '8', version: 9 });
    expect(l.notices).toEqual([]);
    expect(d.contact?.fields.plan).toBe('silver');
    expect(d.contact?.version).toBe(6);
  });

  it('re-reads notes when a note changed (pushes carry none)', async () => {
    const { l } = await panel();
    api.contactDetailApi.get.mockResolvedValueOnce(detail({ notes: [{ id: '1', body: 'hi', author: null, createdAt: at, updatedAt: at }] }));
    l.handlers['contact:updated']!({ contact: plain(detail()), changes: [{ path: 'notes', from: null, to: 'hi' }], by: sam }, live);
    await vi.advanceTimersByTimeAsync(1);
    expect(l.detail.contact?.notes).toHaveLength(1);
    expect(l.notices[0]!.text).toBe('Sam added a note');
  });

  it('reloads the contact and its history when a bulk action or import changed it, quietly on catch-up', async () => {
    const { d, l } = await panel();
    const revision = d.revision;
    api.contactDetailApi.get.mockResolvedValueOnce(detail({ version: 4, tags: ['vip'] }));
    l.handlers['contacts:changed']!({ jobId: '3', contactIds: ['6', '7'], deleted: false }, live);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.contactDetailApi.get).toHaveBeenCalledTimes(2);
    expect(d.contact?.tags).toEqual(['vip']);
    expect(d.revision).toBe(revision + 1);
    expect(l.notices.map((n) => n.text)).toEqual(['This contact was changed by a bulk action or import.']);
    expect(l.deleted).toBe(false);

    l.handlers['contacts:changed']!({ jobId: '3', contactIds: ['7'], deleted: false }, { ...live, replayed: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(api.contactDetailApi.get).toHaveBeenCalledTimes(3);
    expect(l.notices).toHaveLength(1);
  });

  it('finds the contact inside a range of an import batch’s summary', async () => {
    const { l } = await panel();
    l.handlers['contacts:changed']!({ jobId: '3', contactIds: [], ranges: [['5', '9']], deleted: false }, live);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.contactDetailApi.get).toHaveBeenCalledTimes(2);
    expect(l.notices.map((n) => n.text)).toEqual(['This contact was changed by a bulk action or import.']);
  });

  it('ignores a bulk change of other contacts', async () => {
    const { l } = await panel();
    l.handlers['contacts:changed']!({ jobId: '3', contactIds: ['6', '70'], deleted: false }, live);
    l.handlers['contacts:changed']!({ jobId: '3', contactIds: ['8'], deleted: true }, live);
    l.handlers['contacts:changed']!({ jobId: '3', contactIds: [], ranges: [['8', '12'], ['1', '6']], deleted: false }, live);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.contactDetailApi.get).toHaveBeenCalledTimes(1);
    expect(l.notices).toEqual([]);
    expect(l.deleted).toBe(false);
  });

  it('says the contact is gone when a bulk delete or an import undo erased it', async () => {
    const { l } = await panel();
    l.handlers['contacts:changed']!({ jobId: '3', contactIds: ['7'], deleted: true }, live);
    expect(l.deleted).toBe(true);
    expect(l.notices.map((n) => n.text)).toEqual(['This contact was deleted.']);
    expect(api.contactDetailApi.get).toHaveBeenCalledTimes(1);
  });

  it('lists the other viewers, follows presence updates, and stops viewing on close', async () => {
    const { l } = await panel();
    await l.view();
    expect(rt.realtime.request).toHaveBeenCalledWith('presence:view', { workspaceId: '1', contactId: '7' });
    expect(l.viewers).toEqual([{ agentId: '6', name: 'Sam' }]);
    l.handlers['presence:updated']!({ workspaceId: '1', contactId: '7', viewers: [{ agentId: '5', name: 'Me' }] });
    expect(l.viewers).toEqual([]);
    l.dispose();
    expect(rt.realtime.request).toHaveBeenLastCalledWith('presence:view', { workspaceId: '1', contactId: null });
  });

  it('does not clear the viewing of a panel opened after it', async () => {
    const { d, l } = await panel();
    await l.view();
    const next = new LiveContact('1', '8', '5', d);
    await next.view();
    rt.realtime.request.mockClear();
    l.dispose();
    expect(rt.realtime.request).not.toHaveBeenCalled();
  });
});
