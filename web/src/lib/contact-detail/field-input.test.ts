import { describe, expect, it } from 'vitest';
import { fromDraft, isoToLocalInput, localInputToIso, toDraft } from './field-input';

describe('custom field drafts', () => {
  it('puts wire values into controls', () => {
    expect(toDraft('text', 'Acme')).toBe('Acme');
    expect(toDraft('number', 12.5)).toBe('12.5');
    expect(toDraft('boolean', true)).toBe(true);
    expect(toDraft('boolean', undefined)).toBe(false);
    expect(toDraft('date', '2024-02-29')).toBe('2024-02-29');
    expect(toDraft('select', 'gold')).toBe('gold');
    expect(toDraft('text', null)).toBe('');
  });

  it('reads controls back as typed wire values', () => {
    expect(fromDraft('text', '  Acme ')).toEqual({ ok: true, value: 'Acme' });
    expect(fromDraft('number', '42')).toEqual({ ok: true, value: 42 });
    expect(fromDraft('number', '-0.5')).toEqual({ ok: true, value: -0.5 });
    expect(fromDraft('boolean', false)).toEqual({ ok: true, value: false });
    expect(fromDraft('date', '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(fromDraft('select', 'gold', ['silver', 'gold'])).toEqual({ ok: true, value: 'gold' });
  });

  it('refuses what the type cannot hold, and empty drafts (Clear is for that)', () => {
    expect(fromDraft('number', 'abc')).toMatchObject({ ok: false });
    expect(fromDraft('select', 'bronze', ['gold'])).toMatchObject({ ok: false });
    expect(fromDraft('date', '29/02/2024')).toMatchObject({ ok: false });
    expect(fromDraft('text', '   ')).toMatchObject({ ok: false, message: expect.stringContaining('Clear') });
    expect(fromDraft('datetime', 'soon')).toMatchObject({ ok: false });
  });

  it('edits a datetime in local time and sends it as ISO UTC', () => {
    const iso = '2024-07-02T12:34:00.000Z';
    const local = isoToLocalInput(iso);
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(localInputToIso(local)).toBe(iso);
    expect(fromDraft('datetime', local)).toEqual({ ok: true, value: iso });
    expect(toDraft('datetime', iso)).toBe(local);
    // The input's value is read in the browser's zone, like the Date constructor does.
    expect(localInputToIso('2024-01-15T09:05')).toBe(new Date(2024, 0, 15, 9, 5).toISOString());
    expect(localInputToIso('2024-01-15T09:05:30')).toBe(new Date(2024, 0, 15, 9, 5, 30).toISOString());
    expect(localInputToIso('garbage')).toBeNull();
    expect(isoToLocalInput('not a date')).toBe('');
  });
});
