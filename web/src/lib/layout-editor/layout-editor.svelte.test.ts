import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('$app/navigation', () => ({ goto: vi.fn() }));
const api = vi.hoisted(() => ({
  catalogueApi: { fields: vi.fn(), tags: vi.fn() },
  layoutApi: { get: vi.fn(), put: vi.fn(), reset: vi.fn() },
}));
vi.mock('$lib/api/contact-detail', () => api);

const { LayoutDraft } = await import('./layout-editor.svelte');

const plan = { id: '1', key: 'plan', label: 'Plan', type: 'select' as const, options: ['gold'], position: 0 };

beforeEach(() => {
  vi.clearAllMocks();
  api.catalogueApi.fields.mockResolvedValue([plan]);
  api.layoutApi.get.mockResolvedValue({
    fields: [{ key: 'name', visible: true }, { key: 'email', visible: true }, { key: 'custom.plan', visible: false }],
    scope: 'workspace',
  });
});

describe('LayoutDraft', () => {
  it('edits, announces moves, and saves the whole list to the chosen scope', async () => {
    const d = new LayoutDraft('1', 'contacts-table');
    await d.load();
    expect(d.rows.slice(0, 3).map((r) => r.key)).toEqual(['name', 'email', 'custom.plan']);
    expect(d.dirty).toBe(false);
    d.setVisible('custom.plan', true);
    d.move('custom.plan', -1);
    expect(d.announcement).toBe('Plan moved to position 2 of ' + d.rows.length);
    expect(d.dirty).toBe(true);
    api.layoutApi.put.mockResolvedValue(undefined);
    await expect(d.save('agent')).resolves.toBe(true);
    const [, , fields, scope] = api.layoutApi.put.mock.calls[0]!;
    expect(scope).toBe('agent');
    expect(fields.slice(0, 3)).toEqual([
      { key: 'name', visible: true },
      { key: 'custom.plan', visible: true },
      { key: 'email', visible: true },
    ]);
    expect(d.dirty).toBe(false);
    expect(d.scope).toBe('agent');
  });

  it('resets to what the server answers for the workspace default', async () => {
    const d = new LayoutDraft('1', 'side-panel');
    await d.load();
    expect(d.rows.map((r) => r.key)).not.toContain('name');
    api.layoutApi.reset.mockResolvedValue({ fields: [{ key: 'email', visible: false }], scope: 'workspace' });
    await d.reset();
    expect(d.rows[0]).toEqual({ key: 'email', visible: false });
    expect(d.scope).toBe('workspace');
  });

  it('keeps the draft and shows the error when saving fails', async () => {
    const d = new LayoutDraft('1', 'contacts-table');
    await d.load();
    d.setVisible('email', false);
    api.layoutApi.put.mockRejectedValue(new Error('offline'));
    await expect(d.save('workspace')).resolves.toBe(false);
    expect(d.error).toBeTruthy();
    expect(d.dirty).toBe(true);
  });
});
