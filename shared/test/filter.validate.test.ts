import { describe, expect, it } from 'vitest';
import { MAX_FILTER_CONDITIONS, validateFilter, type Filter } from '../src/filter/index.ts';
import { catalogue } from './filter.fixtures.ts';

const check = (input: unknown) => validateFilter(input, catalogue);
/** The first issue of an invalid filter. */
const first = (input: unknown) => {
  const r = check(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be invalid`);
  return r.issues[0]!;
};
const ok = { field: 'email', op: 'isSet' };

describe('validateFilter: shape', () => {
  it('accepts a valid tree and returns it', () => {
    const f: Filter = {
      and: [
        { field: 'name', op: 'contains', value: 'ölaf' },
        { or: [{ field: 'tags', op: 'hasAnyOf', value: ['VIP'] }, { not: { field: 'custom.vip', op: 'isTrue' } }] },
        { field: 'custom.score', op: 'between', value: [-1.5, 10] },
        { field: 'subscribedAt', op: 'withinDays', value: 30 },
        { field: 'custom.plan', op: 'in', value: ['gold', 'SILVER'] },
      ],
    };
    expect(check(f)).toEqual({ ok: true, filter: f });
  });

  it('rejects what is not a node at its path', () => {
    expect(first(5)).toEqual({ path: '(root)', message: expect.stringMatching(/must be a condition/) });
    expect(first({ and: [ok, null] }).path).toBe('and[1]');
    expect(first({ or: [ok, [ok]] }).path).toBe('or[1]');
  });

  it('rejects empty groups and groups with extra keys', () => {
    expect(first({ and: [] })).toEqual({ path: 'and', message: 'a group needs at least one condition' });
    expect(first({ or: [ok, { and: 'x' }] }).path).toBe('or[1].and');
    expect(first({ and: [ok], or: [ok] })).toEqual({ path: '(root)', message: expect.stringMatching(/only its "and" key; remove "or"/) });
  });

  it('rejects a malformed condition with the path of the bad key', () => {
    expect(first({ field: 'email' }).path).toBe('op');
    expect(first({ and: [ok, { field: 7, op: 'isSet' }] }).path).toBe('and[1].field');
    expect(first({ not: { field: 'email', op: 'isSet', extra: 1 } }).path).toBe('not');
  });

  it('limits depth: a root condition is depth 1, each group adds one', () => {
    const nest = (levels: number): unknown => {
      let node: unknown = ok;
      for (let i = 1; i < levels; i++) node = { not: node };
      return node;
    };
    expect(check(nest(6)).ok).toBe(true);
    expect(first(nest(7))).toEqual({ path: 'not.not.not.not.not.not', message: 'filters nest at most 6 levels deep' });
    expect(first({ and: [ok, { or: [{ and: [{ or: [{ and: [{ or: [ok] }] }] }] }] }] }).path).toBe('and[1].or[0].and[0].or[0].and[0].or[0]');
    // A hostile depth stops at the limit instead of recursing through it.
    expect(first(nest(20_000)).message).toMatch(/nest at most/);
  });

  it('limits the number of conditions', () => {
    expect(check({ and: Array.from({ length: MAX_FILTER_CONDITIONS }, () => ok) }).ok).toBe(true);
    const tooMany = { or: [{ and: Array.from({ length: 60 }, () => ok) }, { and: Array.from({ length: 60 }, () => ok) }] };
    expect(first(tooMany)).toEqual({ path: 'or[1].and[40]', message: 'a filter has at most 100 conditions' });
  });

  it('reports the first bad node first', () => {
    const r = check({ and: [ok, { field: 'nope', op: 'eq', value: 'x' }, { field: 'email', op: 'gt', value: 1 }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(['and[1].field', 'and[2].op']);
  });
});

describe('validateFilter: fields and operators', () => {
  it('names an unknown system field', () => {
    expect(first({ field: 'nmae', op: 'eq', value: 'x' })).toEqual({
      path: 'field',
      message: expect.stringMatching(/^unknown field "nmae"; use one of name, firstName, .* or custom\.<key>$/),
    });
  });

  it('says when a custom field does not exist', () => {
    expect(first({ and: [ok, { field: 'custom.tier', op: 'eq', value: 'x' }] })).toEqual({
      path: 'and[1].field',
      message: 'the custom field custom.tier does not exist in this workspace',
    });
    expect(first({ field: 'custom.__proto__', op: 'isSet' }).path).toBe('field');
  });

  it('lists the allowed operators of the type', () => {
    expect(first({ field: 'email', op: 'gt', value: 1 })).toEqual({
      path: 'op',
      message: 'email is a text field; "gt" is not one of its operators (eq, neq, contains, notContains, startsWith, endsWith, isSet, isNotSet)',
    });
    expect(first({ or: [{ not: { field: 'tags', op: 'eq', value: 'x' } }] }).path).toBe('or[0].not.op');
    expect(first({ field: 'channel', op: 'contains', value: 'x' }).message).toMatch(/^channel is an enum field;/);
  });

  it('names a custom field by its own type', () => {
    expect(first({ field: 'custom.plan', op: 'gt', value: 3 }).message).toBe(
      'custom.plan is a select field; "gt" is not one of its operators (eq, neq, in, notIn, isSet, isNotSet)',
    );
    expect(first({ field: 'custom.vip', op: 'eq', value: true }).message).toMatch(/^custom\.vip is a boolean field; .*\(isTrue, isFalse, isNotSet\)/);
    expect(first({ field: 'custom.birthday', op: 'gt', value: 1 }).message).toMatch(/^custom\.birthday is a date field;/);
  });
});

describe('validateFilter: values', () => {
  const valueIssue = (field: string, op: string, value?: unknown) => first({ and: [ok, { field, op, value }] });

  it('requires or forbids a value', () => {
    expect(valueIssue('email', 'eq')).toEqual({ path: 'and[1].value', message: 'eq needs a value' });
    expect(valueIssue('email', 'isSet', 'x')).toEqual({ path: 'and[1].value', message: 'isSet takes no value' });
    expect(valueIssue('custom.vip', 'isTrue', true).message).toBe('isTrue takes no value');
    expect(first({ field: 'email', op: 'eq' }).path).toBe('value');
  });

  it('checks strings', () => {
    for (const bad of ['', 'x'.repeat(501), 5, null, ['a'], 'a\u0000b', '\uD83D', 'x\uDE00']) {
      expect(valueIssue('firstName', 'contains', bad).message).toBe('must be a non-empty string of at most 500 characters (no NUL, valid Unicode)');
    }
    expect(check({ field: 'firstName', op: 'eq', value: 'a😀b' }).ok).toBe(true);
    expect(check({ field: 'firstName', op: 'eq', value: 'x'.repeat(500) }).ok).toBe(true);
    expect(valueIssue('channel', 'eq', 3).path).toBe('and[1].value');
  });

  it('checks lists', () => {
    expect(valueIssue('tags', 'hasAnyOf', []).message).toBe('must be a list of 1 to 100 strings');
    expect(valueIssue('tags', 'hasAllOf', 'vip').message).toBe('must be a list of 1 to 100 strings');
    expect(valueIssue('tags', 'hasNoneOf', Array.from({ length: 101 }, (_, i) => `t${i}`)).message).toMatch(/1 to 100/);
    expect(valueIssue('custom.plan', 'in', ['gold', '']).path).toBe('and[1].value[1]');
    expect(valueIssue('country', 'notIn', ['FR', 3]).path).toBe('and[1].value[1]');
  });

  it('checks numbers and ranges', () => {
    for (const bad of ['5', Number.NaN, Number.POSITIVE_INFINITY, null]) {
      expect(valueIssue('custom.score', 'gt', bad).message).toBe('must be a finite number');
    }
    expect(valueIssue('custom.score', 'between', [1]).message).toBe('must be [min, max]');
    expect(valueIssue('custom.score', 'between', [1, '2']).path).toBe('and[1].value[1]');
    expect(valueIssue('custom.score', 'between', [2, 1]).message).toBe('must be [min, max] with min ≤ max');
    expect(check({ field: 'custom.score', op: 'between', value: [-0.5, -0.5] }).ok).toBe(true);
  });

  it('checks dates', () => {
    for (const good of ['2024-02-29', '2024-01-01T00:00:00Z', '2024-01-01T23:30:00.5-02:30', '0001-01-01']) {
      expect(check({ field: 'createdAt', op: 'before', value: good }).ok).toBe(true);
    }
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01T00:00:00', '2024-01-01 00:00:00Z', 'yesterday', 1704067200000]) {
      expect(valueIssue('custom.birthday', 'on', bad).message).toMatch(/^must be a date \(YYYY-MM-DD\) or an ISO date-time/);
    }
    expect(valueIssue('createdAt', 'between', ['2024-01-02', '2024-01-01']).message).toBe('must be [from, to] with from not after to');
    expect(check({ field: 'createdAt', op: 'between', value: ['2024-01-01T10:00:00Z', '2024-01-01'] }).ok).toBe(true);
    expect(valueIssue('createdAt', 'between', ['2024-01-01', 'x']).path).toBe('and[1].value[1]');
  });

  it('checks day counts', () => {
    for (const bad of [1.5, -1, 36_501, '3']) {
      expect(valueIssue('lastInteractionAt', 'withinDays', bad).message).toBe('must be a whole number of days from 0 to 36500');
    }
    expect(check({ field: 'custom.lastorder', op: 'olderThanDays', value: 0 }).ok).toBe(true);
    expect(check({ field: 'custom.lastorder', op: 'olderThanDays', value: 36_500 }).ok).toBe(true);
  });
});
