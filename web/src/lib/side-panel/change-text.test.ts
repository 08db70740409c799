import { describe, expect, it } from 'vitest';
import type { CustomField } from '@switchboard/shared';
import { describeChanges } from './change-text';

const fields: CustomField[] = [
  { id: '1', key: 'plan', label: 'Plan', type: 'select', options: ['silver', 'gold'], position: 0 },
  { id: '2', key: 'vip', label: 'VIP', type: 'boolean', position: 1 },
];
const sam = { kind: 'agent', id: '3', name: 'Sam' };

describe('describeChanges', () => {
  it('names who changed which field, with the registry label, from → to', () => {
    expect(describeChanges(sam, [{ path: 'custom.plan', from: 'silver', to: 'gold' }], fields)).toBe('Sam changed Plan: silver → gold');
    expect(describeChanges(sam, [{ path: 'email', from: null, to: 'a@b.co' }], fields)).toBe('Sam changed Email: — → a@b.co');
    expect(describeChanges(sam, [{ path: 'custom.vip', from: false, to: true }], fields)).toBe('Sam changed VIP: No → Yes');
  });

  it('words tags, notes, sequences and several changes at once', () => {
    expect(
      describeChanges(
        sam,
        [
          { path: 'tags', from: null, to: 'vip' },
          { path: 'tags', from: 'trial', to: null },
        ],
        fields,
      ),
    ).toBe('Sam added tag vip; removed tag trial');
    expect(describeChanges(sam, [{ path: 'notes', from: null, to: 'hello' }], fields)).toBe('Sam added a note');
    expect(describeChanges(sam, [{ path: 'sequences', from: 'Welcome', to: null }], fields)).toBe('Sam removed sequence Welcome');
  });

  it('falls back to the kind of actor when there is no name', () => {
    expect(describeChanges({ kind: 'api', id: null, name: null }, [{ path: 'firstName', from: 'A', to: 'B' }], fields)).toBe(
      'An integration changed First name: A → B',
    );
    expect(describeChanges(null, [], fields)).toBe('Someone updated this contact');
  });
});
