import { describe, expect, it } from 'vitest';
import { actionLabel, describeEntry, summarizeChanges } from './history';

const names: Record<string, string> = { 'custom.plan': 'Plan', email: 'Email', 'custom.last_order_at': 'Last order' };
const label = { label: (path: string) => names[path] ?? path };

describe('describeEntry', () => {
  it('reads the contact edits the server records as { path, from, to }', () => {
    expect(describeEntry('contact.tag_added', { path: 'tags', from: null, to: 'vip' }, label)).toEqual({ title: 'Added tag “vip”', lines: [] });
    expect(describeEntry('contact.tag_removed', { path: 'tags', from: 'vip', to: null }, label).title).toBe('Removed tag “vip”');
    expect(describeEntry('contact.field_set', { path: 'custom.plan', from: 'silver', to: 'gold' }, label)).toEqual({
      title: 'Changed Plan',
      lines: ['“silver” → “gold”'],
    });
    expect(describeEntry('contact.profile_set', { path: 'email', from: null, to: 'a@b.co' }, label).lines).toEqual(['nothing → “a@b.co”']);
    expect(describeEntry('contact.field_cleared', { path: 'custom.plan', from: 'gold', to: null }, label)).toEqual({
      title: 'Cleared Plan',
      lines: ['was “gold”'],
    });
    expect(describeEntry('contact.sequence_removed', { path: 'sequences', from: 'Win-back', to: null }, label).title).toBe(
      'Removed from sequence “Win-back”',
    );
  });

  it('shows note bodies as text, the new one for an edit', () => {
    expect(describeEntry('note.added', { noteId: 1, body: 'Called back' }, label)).toEqual({ title: 'Added a note', lines: ['Called back'] });
    expect(describeEntry('note.edited', { noteId: 1, body: ['old', 'new'] }, label).lines).toEqual(['new']);
    expect(describeEntry('note.deleted', { noteId: 1, body: 'x'.repeat(500) }, label).lines[0]!.length).toBeLessThanOrEqual(140);
  });

  it('falls back to the action name and the raw changes', () => {
    expect(describeEntry('contact.erased', null, label)).toEqual({ title: 'Contact erased', lines: [] });
    expect(describeEntry('contact.merged', { path: 'email', from: 'a', to: 'b' }, label).lines).toEqual(['Email: “a” → “b”']);
    expect(describeEntry('import.row', { row: 3, status: 'updated' }, label).lines).toEqual(['row: 3', 'status: “updated”']);
  });
});

describe('describeEntry with value formatting', () => {
  it('formats values of a path, and leaves the rest quoted', () => {
    const naming = { ...label, value: (path: string, v: unknown) => (path === 'custom.last_order_at' ? `day ${String(v).slice(0, 10)}` : null) };
    expect(describeEntry('contact.field_set', { path: 'custom.last_order_at', from: null, to: '2026-03-04T15:30:00.000Z' }, naming).lines).toEqual([
      'nothing → day 2026-03-04',
    ]);
    expect(describeEntry('contact.field_set', { path: 'custom.plan', from: 'a', to: 'b' }, naming).lines).toEqual(['“a” → “b”']);
  });
});

describe('summarizeChanges', () => {
  it('never throws on odd shapes and caps the lines', () => {
    expect(summarizeChanges(null)).toEqual([]);
    expect(summarizeChanges(3)).toEqual(['3']);
    expect(summarizeChanges(Array.from({ length: 20 }, (_, i) => i))).toHaveLength(13);
  });
});

describe('actionLabel', () => {
  it('turns action codes into words', () => {
    expect(actionLabel('contact.tag_added')).toBe('Contact tag added');
    expect(actionLabel('contactDeleted')).toBe('Contact deleted');
  });
});
