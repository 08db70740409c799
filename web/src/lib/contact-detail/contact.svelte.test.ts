import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContactDetail } from '@switchboard/shared';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));

const api = vi.hoisted(() => ({
  contactDetailApi: { get: vi.fn(), patch: vi.fn(), addNote: vi.fn(), editNote: vi.fn(), deleteNote: vi.fn(), remove: vi.fn(), history: vi.fn() },
  catalogueApi: { fields: vi.fn(), tags: vi.fn() },
  layoutApi: { get: vi.fn() },
}));
vi.mock('$lib/api/contact-detail', () => api);

const { ApiError } = await import('$lib/api/client');
const { ContactDetailManager } = await import('./contact.svelte');

const at = '2026-01-01T00:00:00.000Z';
function detail(over: Partial<ContactDetail> = {}): ContactDetail {
  return {
    id: '7', channel: 'sms', channelUserId: '+33600000000', name: 'Ann Lee', firstName: 'Ann', lastName: 'Lee', gender: null,
    language: 'en', timezone: 'Europe/Paris', avatarUrl: null, email: 'ann@x.co', phone: '+33600000000', country: 'FR',
    subscribedAt: at, lastInteractionAt: at, createdAt: at, updatedAt: at, tags: ['vip'], fields: { plan: 'silver' }, version: 3,
    sequences: [], otnTopics: [], notes: [{ id: '1', body: 'hi', author: null, createdAt: at, updatedAt: at }], segmentIds: [],
    ...over,
  };
}

beforeEach(() => {
  vi.clearAllMocks();
  api.contactDetailApi.get.mockResolvedValue(detail());
  api.catalogueApi.fields.mockResolvedValue([]);
  api.layoutApi.get.mockResolvedValue({ fields: [{ key: 'email', visible: true }, { key: 'phone', visible: false }], scope: 'default' });
});

async function loaded() {
  const changed = vi.fn();
  const m = new ContactDetailManager('1', '7', changed);
  await m.load();
  return { m, changed };
}

describe('ContactDetailManager', () => {
  it('loads the contact, the fields and the side-panel layout', async () => {
    const { m } = await loaded();
    expect(m.status).toBe('ready');
    expect(m.contact?.name).toBe('Ann Lee');
    expect(m.panelKeys[0]).toBe('email');
    expect(m.panelKeys).not.toContain('phone');
  });

  it('applies a newer contact in place and ignores older or foreign ones', async () => {
    const { m } = await loaded();
    const same = m.contact;
    m.apply({ ...detail({ version: 4, email: 'new@x.co' }) });
    expect(m.contact).toBe(same);
    expect(m.contact?.email).toBe('new@x.co');
    m.apply(detail({ version: 2, email: 'stale@x.co' }));
    expect(m.contact?.email).toBe('new@x.co');
    m.apply(detail({ id: '8', version: 9, email: 'other@x.co' }));
    expect(m.contact?.email).toBe('new@x.co');
  });

  it('keeps notes, sequences and topics when a plain contact is pushed', async () => {
    const { m } = await loaded();
    const { notes: _n, sequences: _s, otnTopics: _o, segmentIds: _g, ...plain } = detail({ version: 5, tags: ['vip', 'new'] });
    m.apply(plain);
    expect(m.contact?.tags).toEqual(['vip', 'new']);
    expect(m.contact?.notes).toHaveLength(1);
  });

  it('sends scalar edits with what the editor saw, tags without, and reports the change', async () => {
    const { m, changed } = await loaded();
    api.contactDetailApi.patch.mockResolvedValue(detail({ version: 4, fields: { plan: 'gold' } }));
    await expect(m.setField('plan', 'gold', 'silver')).resolves.toEqual({ ok: true });
    expect(api.contactDetailApi.patch).toHaveBeenLastCalledWith('1', '7', [{ op: 'setField', key: 'plan', value: 'gold', expected: 'silver' }]);
    expect(m.contact?.fields.plan).toBe('gold');
    expect(changed).toHaveBeenCalledWith(expect.objectContaining({ id: '7', version: 4 }));

    api.contactDetailApi.patch.mockResolvedValue(detail({ version: 5 }));
    await m.setProfile('email', null, 'ann@x.co');
    expect(api.contactDetailApi.patch).toHaveBeenLastCalledWith('1', '7', [{ op: 'setProfile', field: 'email', value: null, expected: 'ann@x.co' }]);
    await m.removeTag('vip');
    expect(api.contactDetailApi.patch).toHaveBeenLastCalledWith('1', '7', [{ op: 'removeTag', tag: 'vip' }]);
  });

  it('turns a 409 into a conflict the editor can resolve', async () => {
    const { m } = await loaded();
    const details = { path: 'custom.plan', current: 'platinum', changedBy: { kind: 'agent', id: '2', name: 'Sam' } };
    api.contactDetailApi.patch.mockRejectedValue(new ApiError({ status: 409, code: 'conflict', message: 'changed', details }));
    const outcome = await m.setField('plan', 'gold', 'silver');
    expect(outcome).toEqual({ ok: false, message: 'changed', conflict: details });
    expect(m.contact?.fields.plan).toBe('silver');

    // Take theirs shows the current value at once, then re-reads the contact.
    api.contactDetailApi.get.mockResolvedValue(detail({ version: 4, fields: { plan: 'platinum' } }));
    m.takeTheirsField('plan', 'platinum');
    expect(m.contact?.fields.plan).toBe('platinum');
    await vi.waitFor(() => expect(m.contact?.version).toBe(4));
  });

  it('adds, edits and deletes notes locally after the server agrees', async () => {
    const { m } = await loaded();
    api.contactDetailApi.addNote.mockResolvedValue({ id: '2', body: 'new', author: null, createdAt: at, updatedAt: at });
    await m.addNote('new');
    expect(m.contact?.notes.map((n) => n.id)).toEqual(['2', '1']);
    api.contactDetailApi.editNote.mockResolvedValue({ id: '1', body: 'edited', author: null, createdAt: at, updatedAt: at });
    await m.editNote('1', 'edited');
    expect(m.contact?.notes[1]?.body).toBe('edited');
    api.contactDetailApi.deleteNote.mockResolvedValue(undefined);
    await m.deleteNote('2');
    expect(m.contact?.notes.map((n) => n.id)).toEqual(['1']);
    expect(m.revision).toBe(3);
  });

  it('shows a load failure', async () => {
    api.contactDetailApi.get.mockRejectedValue(new ApiError({ status: 404, code: 'not_found', message: 'Contact not found' }));
    const m = new ContactDetailManager('1', '7');
    await m.load();
    expect(m.status).toBe('error');
    expect(m.loadError).toBe('Contact not found');
  });
});
