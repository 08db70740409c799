import { describe, expect, it } from 'vitest';
import type { CustomField, ImportUpload } from '@switchboard/shared';
import { checkMapping, initialMapping, localCountry, mappingKey, newFieldKey, placeIssues, startBody, suggestKey, type ColumnMapping } from './mapping';

const plan: CustomField = { id: '1', key: 'plan', label: 'Plan', type: 'select', options: ['gold'], position: 0 };

const upload: ImportUpload = {
  jobId: '5',
  columns: ['Phone', 'First Name', 'Labels', 'Plan', 'Loyalty Tier (2024)'],
  suggestedMapping: { Phone: 'phone', 'First Name': 'firstName', Labels: 'tags', Plan: 'custom.plan', 'Loyalty Tier (2024)': 'custom.gone' },
  preview: [
    ['+14155550100', 'Ann', 'vip', 'gold', ''],
    ['+14155550101', 'Ann', '', 'gold', 'silver'],
    ['0612345678', 'Émile', 'new;vip', '', 'silver'],
  ],
};

const rows = () => initialMapping(upload, [plan]);
const options = { channel: 'sms' as const, defaultCountry: 'fr', onExisting: 'skip' as const };

describe('initialMapping', () => {
  it("takes the server's guess, with a few distinct samples per column", () => {
    const r = rows();
    expect(r.map((c) => c.target)).toEqual(['phone', 'firstName', 'tags', 'custom.plan', 'new']);
    expect(r[1]!.samples).toEqual(['Ann', 'Émile']);
    expect(r[4]!.samples).toEqual(['silver']);
    // A guessed field that does not exist becomes a new one, with a key and label from the header.
    expect(r[4]!.newField).toEqual({ key: 'loyalty_tier_2024', label: 'Loyalty Tier (2024)', type: 'text' });
  });
});

describe('suggestKey', () => {
  it('makes a valid field key of any header', () => {
    expect(suggestKey('Código Postal')).toBe('codigo_postal');
    expect(suggestKey('2nd phone')).toBe('field_2nd_phone');
    expect(suggestKey('x'.repeat(80))).toHaveLength(50);
  });
});

describe('checkMapping', () => {
  it('accepts the guessed mapping', () => {
    expect(checkMapping(rows(), [plan])).toEqual({});
  });

  it('names the column whose target is taken, and allows several tag columns', () => {
    const r = rows();
    r[1]!.target = 'phone';
    r[3]!.target = 'tags';
    expect(checkMapping(r, [plan])).toEqual({ [mappingKey('First Name')]: 'Column “Phone” is already imported as Phone.' });
  });

  it('asks for a phone column, on the column that looks like one', () => {
    const r = rows();
    r[0]!.target = 'ignore';
    expect(Object.keys(checkMapping(r, [plan]))).toEqual([mappingKey('Phone')]);
  });

  it('checks a new field: key format, label, and no clash with an existing field', () => {
    const r = rows();
    r[4]!.newField = { key: 'Bad Key', label: ' ', type: 'text' };
    const errors = checkMapping(r, [plan]);
    expect(errors[newFieldKey('Loyalty Tier (2024)', 'key')]).toMatch(/lowercase/);
    expect(errors[newFieldKey('Loyalty Tier (2024)', 'label')]).toBeDefined();
    r[3]!.target = 'ignore';
    r[4]!.newField = { key: 'plan', label: 'Plan again', type: 'text' };
    expect(checkMapping(r, [plan])[newFieldKey('Loyalty Tier (2024)', 'key')]).toMatch(/exists/);
  });
});

describe('startBody', () => {
  it('maps a new field to custom.<key> and asks for it in createFields', () => {
    const body = startBody(rows(), options);
    expect(body).toEqual({
      mapping: { Phone: 'phone', 'First Name': 'firstName', Labels: 'tags', Plan: 'custom.plan', 'Loyalty Tier (2024)': 'custom.loyalty_tier_2024' },
      channel: 'sms',
      defaultCountry: 'FR',
      onExisting: 'skip',
      createFields: [{ column: 'Loyalty Tier (2024)', key: 'loyalty_tier_2024', label: 'Loyalty Tier (2024)', type: 'text' }],
    });
  });

  it('leaves createFields out when there is none', () => {
    const r: ColumnMapping[] = rows().slice(0, 2);
    expect(startBody(r, options)).not.toHaveProperty('createFields');
  });
});

describe('placeIssues', () => {
  it('puts each issue of a 400 next to the input it names', () => {
    const r = rows();
    const placed = placeIssues(
      [
        { path: 'mapping.First Name', message: 'unknown target' },
        { path: 'createFields[0].key', message: 'is taken' },
        { path: 'createFields[0].label', message: 'too long' },
        { path: 'defaultCountry', message: 'must be a two-letter country code' },
        { path: 'mapping.Nope', message: 'no such column' },
        { path: '(root)', message: 'the file has no rows' },
        'garbage',
      ],
      r,
    );
    expect(placed.fields).toEqual({
      [mappingKey('First Name')]: 'unknown target',
      [newFieldKey('Loyalty Tier (2024)', 'key')]: 'is taken',
      [newFieldKey('Loyalty Tier (2024)', 'label')]: 'too long',
      defaultCountry: 'must be a two-letter country code',
    });
    expect(placed.other).toEqual(['mapping.Nope: no such column', 'the file has no rows']);
  });
});

describe('localCountry', () => {
  it('reads the region of the first language that has one', () => {
    expect(localCountry(['fr', 'en-GB', 'de-DE'])).toBe('GB');
    expect(localCountry(['zh-Hant-TW'])).toBe('TW');
    expect(localCountry(['en'])).toBe('US');
  });
});
