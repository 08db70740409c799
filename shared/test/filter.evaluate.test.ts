import { describe, expect, it } from 'vitest';
import { compilePredicate, fold, matches, validateFilter, type Filter, type FilterContact } from '../src/filter/index.ts';
import { NOW, catalogue, contact } from './filter.fixtures.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Evaluates a condition (checked by validateFilter first) on a contact built from `over`. */
function m(filter: Filter, over: Partial<FilterContact> = {}, now = NOW): boolean {
  const checked = validateFilter(filter, catalogue);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return matches(checked.filter, contact(over), now, catalogue);
}
const c = (field: string, op: string, value?: unknown): Filter => (value === undefined ? { field, op } : { field, op, value });

describe('fold', () => {
  it('is toLowerCase, unicode included', () => {
    expect(fold('ÖLAF Émile ΣΑΣ İ')).toBe('ölaf émile σας i̇');
    expect(fold('STRASSE')).not.toBe(fold('straße'));
  });
});

describe('text', () => {
  it('compares folded on both sides', () => {
    expect(m(c('firstName', 'eq', 'öLAF'), { firstName: 'Ölaf' })).toBe(true);
    expect(m(c('firstName', 'contains', 'MIL'), { firstName: 'ÉMILE' })).toBe(true);
    expect(m(c('firstName', 'startsWith', 'é'), { firstName: 'ÉMILE' })).toBe(true);
    expect(m(c('firstName', 'endsWith', 'SSE'), { firstName: 'straße' })).toBe(false);
    expect(m(c('lastName', 'endsWith', '😀'), { lastName: 'Zoë 😀' })).toBe(true);
    expect(m(c('channelUserId', 'eq', 'psid-1'))).toBe(true);
  });

  it('name is fold(trim(first + " " + last))', () => {
    expect(m(c('name', 'eq', 'ölaf straße'), { firstName: 'Ölaf', lastName: 'Straße' })).toBe(true);
    expect(m(c('name', 'eq', 'straße'), { lastName: 'Straße' })).toBe(true);
    expect(m(c('name', 'startsWith', 'ÖLAF S'), { firstName: 'Ölaf', lastName: 'Straße' })).toBe(true);
    expect(m(c('name', 'isNotSet'))).toBe(true);
  });

  it('email and phone are compared as stored (lower-cased, E.164)', () => {
    expect(m(c('email', 'eq', 'Ana@Example.COM'), { email: 'ana@example.com' })).toBe(true);
    expect(m(c('phone', 'startsWith', '+33'), { phone: '+33612345678' })).toBe(true);
  });

  it('positive operators are false and negative ones true on an unset value', () => {
    for (const v of [null, '']) {
      expect(m(c('email', 'eq', 'x'), { email: v })).toBe(false);
      expect(m(c('email', 'contains', 'x'), { email: v })).toBe(false);
      expect(m(c('email', 'neq', 'x'), { email: v })).toBe(true);
      expect(m(c('email', 'notContains', 'x'), { email: v })).toBe(true);
      expect(m(c('email', 'isSet'), { email: v })).toBe(false);
      expect(m(c('email', 'isNotSet'), { email: v })).toBe(true);
    }
    expect(m(c('email', 'neq', 'A@B.C'), { email: 'a@b.c' })).toBe(false);
    expect(m(c('email', 'notContains', '@'), { email: 'a@b.c' })).toBe(false);
  });
});

describe('enum and select', () => {
  it('eq / in fold; neq / notIn match unset values', () => {
    expect(m(c('country', 'eq', 'fr'), { country: 'FR' })).toBe(true);
    expect(m(c('language', 'in', ['DE', 'EN']), { language: 'en' })).toBe(true);
    expect(m(c('gender', 'neq', 'male'))).toBe(true);
    expect(m(c('gender', 'notIn', ['male']), { gender: 'Male' })).toBe(false);
    expect(m(c('channel', 'in', ['SMS', 'Messenger']))).toBe(true);
    expect(m(c('custom.plan', 'eq', 'GOLD'), { fields: { plan: 'Gold' } })).toBe(true);
    expect(m(c('custom.plan', 'notIn', ['gold']), { fields: {} })).toBe(true);
    expect(m(c('custom.plan', 'isSet'), { fields: { plan: 'Gold' } })).toBe(true);
    expect(m(c('timezone', 'isNotSet'))).toBe(true);
  });
});

describe('number', () => {
  const s = (score?: number): Partial<FilterContact> => ({ fields: score === undefined ? {} : { score } });
  it('compares, between inclusive, negative ops match unset', () => {
    expect(m(c('custom.score', 'eq', 0), s(-0))).toBe(true);
    expect(m(c('custom.score', 'neq', 1), s())).toBe(true);
    expect(m(c('custom.score', 'neq', 1), s(1))).toBe(false);
    expect(m(c('custom.score', 'gt', -1.5), s(-1.5))).toBe(false);
    expect(m(c('custom.score', 'gte', -1.5), s(-1.5))).toBe(true);
    expect(m(c('custom.score', 'lt', 0.3), s(0.1 + 0.2))).toBe(false);
    expect(m(c('custom.score', 'lte', 2), s(2))).toBe(true);
    expect(m(c('custom.score', 'between', [1, 2]), s(1))).toBe(true);
    expect(m(c('custom.score', 'between', [1, 2]), s(2))).toBe(true);
    expect(m(c('custom.score', 'between', [1, 2]), s(2.0001))).toBe(false);
    expect(m(c('custom.score', 'gt', -100), s())).toBe(false);
    expect(m(c('custom.score', 'isSet'), s(0))).toBe(true);
  });
});

describe('boolean', () => {
  it('isTrue / isFalse / isNotSet', () => {
    expect(m(c('custom.vip', 'isTrue'), { fields: { vip: true } })).toBe(true);
    expect(m(c('custom.vip', 'isFalse'), { fields: { vip: true } })).toBe(false);
    expect(m(c('custom.vip', 'isFalse'), { fields: { vip: false } })).toBe(true);
    expect(m(c('custom.vip', 'isFalse'))).toBe(false);
    expect(m(c('custom.vip', 'isNotSet'))).toBe(true);
    expect(m(c('custom.vip', 'isNotSet'), { fields: { vip: false } })).toBe(false);
  });
});

describe('dates (UTC)', () => {
  const day = Date.parse('2024-03-10T00:00:00Z');
  const at = (ms: number) => ({ subscribedAt: iso(ms) });

  it('a YYYY-MM-DD value covers its whole day', () => {
    expect(m(c('subscribedAt', 'before', '2024-03-10'), at(day - 1))).toBe(true);
    expect(m(c('subscribedAt', 'before', '2024-03-10'), at(day))).toBe(false);
    expect(m(c('subscribedAt', 'after', '2024-03-10'), at(day + DAY - 1))).toBe(false);
    expect(m(c('subscribedAt', 'after', '2024-03-10'), at(day + DAY))).toBe(true);
    expect(m(c('subscribedAt', 'on', '2024-03-10'), at(day))).toBe(true);
    expect(m(c('subscribedAt', 'on', '2024-03-10'), at(day + DAY - 1))).toBe(true);
    expect(m(c('subscribedAt', 'on', '2024-03-10'), at(day + DAY))).toBe(false);
    expect(m(c('subscribedAt', 'on', '2024-03-10'), at(day - 1))).toBe(false);
    expect(m(c('subscribedAt', 'between', ['2024-03-09', '2024-03-10']), at(day + DAY - 1))).toBe(true);
    expect(m(c('subscribedAt', 'between', ['2024-03-09', '2024-03-10']), at(day - DAY))).toBe(true);
    expect(m(c('subscribedAt', 'between', ['2024-03-09', '2024-03-10']), at(day - DAY - 1))).toBe(false);
  });

  it('a date-time value is one instant; `on` takes its UTC day', () => {
    expect(m(c('subscribedAt', 'before', '2024-03-10T02:00:00+02:00'), at(day - 1))).toBe(true);
    expect(m(c('subscribedAt', 'before', '2024-03-10T02:00:00+02:00'), at(day))).toBe(false);
    expect(m(c('subscribedAt', 'after', '2024-03-10T00:00:00Z'), at(day))).toBe(false);
    expect(m(c('subscribedAt', 'after', '2024-03-10T00:00:00Z'), at(day + 1))).toBe(true);
    // 23:30 at -02:00 is 01:30 UTC on the 11th.
    expect(m(c('subscribedAt', 'on', '2024-03-10T23:30:00-02:00'), at(day + DAY))).toBe(true);
    expect(m(c('subscribedAt', 'on', '2024-03-10T23:30:00-02:00'), at(day + DAY - 1))).toBe(false);
    expect(m(c('subscribedAt', 'between', ['2024-03-10T00:00:00.001Z', '2024-03-10T12:00:00Z']), at(day))).toBe(false);
    expect(m(c('subscribedAt', 'between', ['2024-03-10', '2024-03-10T12:00:00Z']), at(day + DAY / 2))).toBe(true);
    expect(m(c('subscribedAt', 'between', ['2024-03-10', '2024-03-10T12:00:00Z']), at(day + DAY / 2 + 1))).toBe(false);
  });

  it('day counts are relative to now', () => {
    expect(m(c('lastInteractionAt', 'olderThanDays', 7), { lastInteractionAt: iso(NOW - 7 * DAY - 1) })).toBe(true);
    expect(m(c('lastInteractionAt', 'olderThanDays', 7), { lastInteractionAt: iso(NOW - 7 * DAY) })).toBe(false);
    expect(m(c('lastInteractionAt', 'withinDays', 7), { lastInteractionAt: iso(NOW - 7 * DAY) })).toBe(true);
    expect(m(c('lastInteractionAt', 'withinDays', 7), { lastInteractionAt: iso(NOW) })).toBe(true);
    expect(m(c('lastInteractionAt', 'withinDays', 7), { lastInteractionAt: iso(NOW + 1) })).toBe(false);
    expect(m(c('lastInteractionAt', 'withinDays', 0), { lastInteractionAt: iso(NOW) })).toBe(true);
    expect(m(c('lastInteractionAt', 'olderThanDays', 0), { lastInteractionAt: null })).toBe(false);
    expect(m(c('createdAt', 'withinDays', 1), {}, Date.parse('2024-01-01T12:00:00Z'))).toBe(true);
  });

  it('custom date fields hold their day, datetime fields an instant', () => {
    expect(m(c('custom.birthday', 'on', '1990-05-01'), { fields: { birthday: '1990-05-01' } })).toBe(true);
    expect(m(c('custom.birthday', 'before', '1990-05-01'), { fields: { birthday: '1990-05-01' } })).toBe(false);
    expect(m(c('custom.birthday', 'before', '1990-05-01T00:00:00.001Z'), { fields: { birthday: '1990-05-01' } })).toBe(true);
    expect(m(c('custom.lastorder', 'after', '2024-03-10'), { fields: { lastorder: '2024-03-11T00:00:00.000Z' } })).toBe(true);
    expect(m(c('custom.lastorder', 'isNotSet'))).toBe(true);
    expect(m(c('subscribedAt', 'isSet'))).toBe(false);
  });
});

describe('sets', () => {
  const tags = ['VIP', 'Straße', '😀'];
  it('names compare folded', () => {
    expect(m(c('tags', 'hasAnyOf', ['vip', 'other']), { tags })).toBe(true);
    expect(m(c('tags', 'hasAllOf', ['vip', 'STRAßE']), { tags })).toBe(true);
    expect(m(c('tags', 'hasAllOf', ['vip', 'new']), { tags })).toBe(false);
    expect(m(c('tags', 'hasNoneOf', ['😀']), { tags })).toBe(false);
    expect(m(c('tags', 'hasNoneOf', ['x']), { tags: [] })).toBe(true);
    expect(m(c('tags', 'isEmpty'), { tags: [] })).toBe(true);
    expect(m(c('sequences', 'isNotEmpty'), { sequences: ['Onboarding'] })).toBe(true);
    expect(m(c('otnTopics', 'hasAnyOf', ['PRICE drop']), { otnTopics: ['price drop'] })).toBe(true);
  });
});

describe('groups', () => {
  it('and / or / not', () => {
    const vip = c('tags', 'hasAnyOf', ['vip']);
    const fr = c('country', 'eq', 'FR');
    const who = { tags: ['VIP'], country: 'DE' };
    expect(m({ and: [vip, fr] }, who)).toBe(false);
    expect(m({ or: [vip, fr] }, who)).toBe(true);
    expect(m({ not: fr }, who)).toBe(true);
    expect(m({ not: { not: vip } }, who)).toBe(true);
    expect(m({ and: [vip, { not: { or: [fr, c('email', 'isSet')] } }] }, who)).toBe(true);
  });

  it('a compiled predicate takes now per call', () => {
    const p = compilePredicate(c('createdAt', 'withinDays', 1), catalogue);
    const created = contact({ createdAt: '2024-01-01T00:00:00.000Z' });
    expect(p(created, Date.parse('2024-01-02T00:00:00Z'))).toBe(true);
    expect(p(created, Date.parse('2024-01-02T00:00:00.001Z'))).toBe(false);
  });
});
