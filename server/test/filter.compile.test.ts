import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fold, operatorsByType, validateFilter, type Filter } from '@switchboard/shared/filter/index';
import { compileFilter } from '../src/features/filter/compile.ts';
import { prefixUpperBound } from '../src/features/filter/prefix.ts';
import { filterArb, NOW } from './filter.arbitraries.ts';
import { openFilterDb, type FilterDb, type GenContact } from './filter.fixture.ts';

const INJECTION = "x' OR 1=1 --";

let t: FilterDb;
beforeAll(async () => {
  t = await openFilterDb();
});
afterAll(async () => t?.close());

const compile = (f: Filter) => {
  const checked = validateFilter(f, t.catalogue);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return compileFilter(checked.filter, { workspaceId: t.workspaceId, fields: t.fields, now: NOW });
};
const ids = (f: Filter) => {
  const { where, params } = compile(f);
  return t.select(where, params);
};

let n = 0;
function contact(over: Partial<GenContact['contact']>, stored: GenContact['stored'] = {}): GenContact {
  const base: GenContact['contact'] = {
    channel: 'messenger', channelUserId: `psid-${++n}`, firstName: null, lastName: null, email: null, phone: null,
    gender: null, language: null, timezone: null, country: null, subscribedAt: null, lastInteractionAt: null,
    createdAt: '2025-01-01T00:00:00.000Z', tags: [], sequences: [], otnTopics: [], fields: {},
  };
  return { contact: { ...base, ...over }, stored };
}

describe('compileFilter: values never reach the SQL text', () => {
  it('puts every value, id and time in params', () => {
    const values = [INJECTION, '"; DROP TABLE Contact; --', '%', '_', '\\', ']]', '*', "''"];
    const texts = new Set<string>();
    for (const value of values) {
      const tree: Filter = {
        or: [
          { field: 'name', op: 'startsWith', value },
          { field: 'firstName', op: 'endsWith', value },
          { field: 'email', op: 'eq', value },
          { field: 'channel', op: 'in', value: [value] },
          { field: 'tags', op: 'hasAllOf', value: [value, 'vip'] },
          { field: 'custom.nickname', op: 'notContains', value },
          { not: { field: 'custom.plan', op: 'neq', value } },
          { field: 'custom.score', op: 'between', value: [-12345, 67890] },
          { field: 'custom.lastorder', op: 'withinDays', value: 17 },
          { field: 'custom.vip', op: 'isTrue' },
        ],
      };
      const { where, params } = compile(tree);
      texts.add(where);
      expect(params).toEqual(expect.arrayContaining([fold(value)]));
      // The only literals: '' (text is set), 0 (instr > 0) and 1 (booleans).
      expect(where.replace(/''/g, '')).not.toMatch(/["'`]/);
      expect(new Set(where.match(/\b\d+\b/g))).toEqual(new Set(['0', '1']));
      expect(where.split('?').length - 1).toBe(params.length);
      for (const p of params) expect(['string', 'number']).toContain(typeof p);
      expect(params).toEqual(expect.arrayContaining([t.fields.score!.id, -12345, 67890, NOW - 17 * 86_400_000]));
    }
    // The SQL text does not depend on the values at all.
    expect(texts.size).toBe(1);
  });

  it('an injection attempt matches only what it literally says', () => {
    const [plain, named, tagged, percent] = t.replaceContacts([
      contact({ firstName: 'Ana' }, { nickname: 'ana' }),
      contact({ firstName: INJECTION }),
      contact({ tags: [INJECTION] }),
      contact({ lastName: '%_\\' }),
    ]);
    expect(ids({ field: 'firstName', op: 'eq', value: INJECTION })).toEqual([named]);
    expect(ids({ field: 'firstName', op: 'eq', value: "' OR '1'='1" })).toEqual([]);
    expect(ids({ field: 'tags', op: 'hasAnyOf', value: [INJECTION.toUpperCase()] })).toEqual([tagged]);
    expect(ids({ field: 'custom.nickname', op: 'contains', value: "a' OR 'a'='a" })).toEqual([]);
    expect(ids({ field: 'name', op: 'startsWith', value: '%' })).toEqual([percent]);
    expect(ids({ field: 'name', op: 'contains', value: '_' })).toEqual([percent]);
    expect(ids({ field: 'firstName', op: 'neq', value: INJECTION })).toEqual([plain, tagged, percent]);
  });

  it('refuses a field outside the catalogue', () => {
    const f = { field: 'custom.nope', op: 'isSet' } as Filter;
    expect(() => compileFilter(f, { workspaceId: t.workspaceId, fields: t.fields, now: NOW })).toThrow(/does not exist/);
  });

  it('compiles every operator of every field type to runnable SQL', () => {
    // Cheap smoke over the whole operator table; filter.property.test.ts checks the results.
    const trees = fc.sample(filterArb, { numRuns: 300, seed: 7 });
    for (const tree of trees) expect(() => ids(tree)).not.toThrow();
    const ops = new Set(JSON.stringify(trees).match(/"op":"(\w+)"/g));
    expect(ops.size).toBe(new Set(Object.values(operatorsByType).flat()).size);
  });
});

describe('compileFilter: query plans', () => {
  const plan = (f: Filter) => {
    const { where, params } = compile(f);
    const rows = t.db.conn
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM Contact c WHERE c.workspaceId = ? AND (${where})`)
      .safeIntegers(false)
      .all(t.workspaceId, ...params) as { detail: string }[];
    return rows.map((r) => r.detail).join('\n');
  };

  it('drives custom fields and sets from their covering indexes', () => {
    expect(plan({ field: 'custom.score', op: 'gt', value: 10 })).toMatch(/FieldValue USING COVERING INDEX FieldValue_fieldId_number_contactId_idx \(fieldId=\? AND number>\?\)/);
    expect(plan({ field: 'custom.plan', op: 'eq', value: 'gold' })).toMatch(/FieldValue_fieldId_textKey_contactId_idx \(fieldId=\? AND textKey=\?\)/);
    expect(plan({ field: 'custom.birthday', op: 'on', value: '1990-05-01' })).toMatch(/FieldValue_fieldId_time_contactId_idx \(fieldId=\? AND time>\? AND time<\?\)/);
    expect(plan({ field: 'tags', op: 'hasAnyOf', value: ['vip'] })).toMatch(/ContactTag USING COVERING INDEX ContactTag_tagId_contactId_idx \(tagId=\?\)/);
  });

  it('uses the contact indexes for email, name prefixes and times', () => {
    expect(plan({ field: 'email', op: 'eq', value: 'A@b.c' })).toMatch(/Contact_workspaceId_email_idx \(workspaceId=\? AND email=\?\)/);
    expect(plan({ field: 'name', op: 'startsWith', value: 'ana' })).toMatch(/Contact_workspaceId_nameKey_id_idx \(workspaceId=\? AND nameKey>\? AND nameKey<\?\)/);
    expect(plan({ field: 'lastInteractionAt', op: 'withinDays', value: 7 })).toMatch(/Contact_workspaceId_lastInteractionAt_id_idx \(workspaceId=\? AND lastInteractionAt>\? AND lastInteractionAt<\?\)/);
  });
});

describe('sb_fold and prefix bounds', () => {
  it('sb_fold is registered on Prisma’s connection and folds like the evaluator', () => {
    const row = t.db.conn.prepare("SELECT sb_fold('ÖLAF ΣΑΣ İ') AS a, sb_fold(NULL) AS b, lower('ÖLAF') AS c").get();
    expect(row).toEqual({ a: 'ölaf σας i̇', b: null, c: 'Ölaf' });
  });

  it('prefixUpperBound bumps the last code point', () => {
    expect(prefixUpperBound('ab')).toBe('ac');
    expect(prefixUpperBound('a😀')).toBe('a😁');
    expect(prefixUpperBound('\uD7FF')).toBe('\uE000');
    expect(prefixUpperBound('a\u{10FFFF}')).toBeNull();
    expect(prefixUpperBound('')).toBeNull();
  });
});
