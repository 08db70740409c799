import { describe, expect, it } from 'vitest';
import { operatorsByType, systemFields } from '@switchboard/shared';
import { defaultValue, filterFields, operatorsFor, valueIssue, valueKind } from './catalogue';

describe('filter fields', () => {
  it('lists every system field, then custom fields by position with their filter type', () => {
    const fields = filterFields([
      { id: '2', key: 'score', label: 'Score', type: 'number', position: 2 },
      { id: '1', key: 'plan', label: 'Plan', type: 'select', options: ['free', 'gold'], position: 1 },
      { id: '3', key: 'vip', label: 'VIP', type: 'boolean', position: 3 },
      { id: '4', key: 'born', label: 'Born', type: 'date', position: 4 },
    ]);
    expect(fields.slice(0, Object.keys(systemFields).length).map((f) => f.key)).toEqual(Object.keys(systemFields));
    expect(fields.slice(-4)).toEqual([
      { key: 'custom.plan', label: 'Plan', type: 'enum', group: 'Custom fields', choices: { kind: 'fixed', values: ['free', 'gold'] } },
      { key: 'custom.score', label: 'Score', type: 'number', group: 'Custom fields', choices: undefined },
      { key: 'custom.vip', label: 'VIP', type: 'boolean', group: 'Custom fields', choices: undefined },
      { key: 'custom.born', label: 'Born', type: 'date', group: 'Custom fields', choices: undefined },
    ]);
  });

  it('offers channels and genders as fixed choices, tags from the catalogue, languages as suggestions', () => {
    const byKey = new Map(filterFields([]).map((f) => [f.key, f]));
    expect(byKey.get('channel')?.choices).toMatchObject({ kind: 'fixed', values: expect.arrayContaining(['sms', 'voice']) });
    expect(byKey.get('gender')?.choices).toEqual({ kind: 'fixed', values: ['male', 'female', 'other'] });
    expect(byKey.get('otnTopics')?.choices).toEqual({ kind: 'catalogue', list: 'otnTopics' });
    expect(byKey.get('language')?.choices).toEqual({ kind: 'suggested', list: 'language' });
  });
});

describe('operators and values', () => {
  it('offers exactly the operators of the API per type, each with a label', () => {
    for (const [type, ops] of Object.entries(operatorsByType)) {
      const offered = operatorsFor(type as keyof typeof operatorsByType);
      expect(offered.map((o) => o.op)).toEqual(ops);
      for (const o of offered) expect(o.label).toMatch(/\S/);
    }
    expect(operatorsFor('set').find((o) => o.op === 'isNotEmpty')?.label).toBe('has any');
    expect(operatorsFor('datetime').find((o) => o.op === 'olderThanDays')?.label).toBe('more than … days ago');
  });

  it('maps each operator to the input its value needs', () => {
    expect(valueKind('text', 'contains')).toBe('text');
    expect(valueKind('text', 'isSet')).toBe('none');
    expect(valueKind('number', 'between')).toBe('numberRange');
    expect(valueKind('datetime', 'between')).toBe('dateRange');
    expect(valueKind('date', 'withinDays')).toBe('days');
    expect(valueKind('date', 'on')).toBe('date');
    expect(valueKind('enum', 'notIn')).toBe('many');
    expect(valueKind('enum', 'neq')).toBe('one');
    expect(valueKind('set', 'hasAllOf')).toBe('many');
    expect(valueKind('set', 'isEmpty')).toBe('none');
    expect(valueKind('boolean', 'isTrue')).toBe('none');
  });

  it('says what is missing from a value, and nothing for a good one', () => {
    expect(valueIssue('text', ' ')).toBe('Enter a value');
    expect(valueIssue('number', null)).toBe('Enter a number');
    expect(valueIssue('number', 0)).toBeNull();
    expect(valueIssue('numberRange', [1, null])).toBe('Enter both numbers');
    expect(valueIssue('dateRange', ['2024-01-01', '2024-02-01'])).toBeNull();
    expect(valueIssue('days', 2.5)).toMatch(/whole/);
    expect(valueIssue('many', [])).toBe('Choose at least one');
    expect(valueIssue('none', undefined)).toBeNull();
    for (const kind of ['text', 'number', 'numberRange', 'date', 'dateRange', 'one', 'many'] as const) {
      expect(valueIssue(kind, defaultValue(kind))).not.toBeNull();
    }
    expect(valueIssue('days', defaultValue('days'))).toBeNull();
  });
});
