import fc from 'fast-check';
import { channels } from '@switchboard/shared';
import { DAY_MS, dayStart, operatorsByType, parseFilterTime, systemFields, type Filter, type FilterType } from '@switchboard/shared/filter/index';
import { customFields, planOptions, sequenceNames, tagNames, topicNames, type CustomKey, type GenContact } from './filter.fixture.ts';

/**
 * Random contacts and filter trees drawn from the same small pools of values (unicode and
 * case variants, day edges around `NOW`, boundary numbers), so that most trees match some
 * contacts and not others.
 */
export const NOW = Date.parse('2025-06-15T13:37:42.123Z');
const TODAY = dayStart(NOW);

const texts = ['Ölaf', 'ölaf', 'OLAF', 'ÉMILE', 'Émile', 'emile', 'straße', 'STRASSE', 'Strasse', 'Zoë', 'ZOË', 'ana maria',
  'Ana-Maria', 'ΣΑΣ', 'σας', 'İstanbul', 'istanbul', '😀', 'a😀b', 'x', "O'Brien", "x' OR 1=1 --", '%_\\', 'ǅemal', 'ﬁle'];
const emails = ['ölaf@example.com', 'émile@exämple.fr', 'ana.maria@x.io', 'o\'brien@example.com', 'zoë+1@example.com'];
const phones = ['+33612345678', '+33698765432', '+15551234567', '+4915112345678'];
const cuidBases = ['PSID-', 'psid-', 'Ölaf_', 'ÉMILE.', 'wa:'];
const enums = {
  gender: ['male', 'female', 'other'],
  language: ['en', 'fr', 'de', 'tr'],
  timezone: ['Europe/Paris', 'America/New_York', 'UTC', 'Europe/Istanbul'],
  country: ['FR', 'DE', 'US', 'TR'],
  channel: [...channels],
};
const numbers = [0, -0, 1, -1, 2.5, -2.5, 0.1, 0.2, 0.3, 0.1 + 0.2, 42, 1e9, -1e-9, 1e300, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE];
const dayOffsets = [-3650, -400, -365, -31, -30, -8, -7, -6, -2, -1, 0, 1, 2];
const dayCounts = [0, 1, 2, 6, 7, 8, 30, 31, 365, 400, 36_500];
const timesOfDay = [0, 1, DAY_MS / 2, DAY_MS - 1, NOW - TODAY, NOW - TODAY - 1, NOW - TODAY + 1];

const UNSAFE = /[\u0000\uD800-\uDFFF]/u;
const randomText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map((s) => s.trim()).filter((s) => s !== '' && !UNSAFE.test(s));

/** A pool value as it is, case-changed, or cut to a prefix, suffix or middle (code points). */
const variant = (pool: readonly string[]) =>
  fc.tuple(fc.constantFrom(...pool), fc.constantFrom('same', 'upper', 'lower', 'prefix', 'suffix', 'middle'), fc.nat(8), fc.nat(8))
    .map(([s, how, a, b]) => {
      const cps = [...s];
      const n = cps.length;
      switch (how) {
        case 'upper': return s.toUpperCase();
        case 'lower': return s.toLowerCase();
        case 'prefix': return cps.slice(0, 1 + (a % n)).join('');
        case 'suffix': return cps.slice(n - 1 - (a % n)).join('');
        case 'middle': return cps.slice(a % n, (a % n) + 1 + (b % n)).join('') || s;
        default: return s;
      }
    });

const orNull = <T>(arb: fc.Arbitrary<T>, freq = 3) => fc.option(arb, { nil: null, freq });
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const instant = fc.oneof(
  fc.tuple(fc.constantFrom(...dayOffsets), fc.constantFrom(...timesOfDay)).map(([d, t]) => TODAY + d * DAY_MS + t),
  fc.tuple(fc.constantFrom(...dayCounts), fc.constantFrom(-1, 0, 1)).map(([n, e]) => NOW - n * DAY_MS + e),
  fc.integer({ min: TODAY - 400 * DAY_MS, max: TODAY + 2 * DAY_MS }),
  // Before the epoch: negative ms, days that floor downwards.
  fc.constantFrom(-1, 0, 1, -DAY_MS, Date.UTC(1900, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999)),
);
const day = fc.oneof(
  fc.oneof(fc.constantFrom(...dayOffsets), fc.integer({ min: -40, max: 3 })).map((d) => TODAY + d * DAY_MS),
  fc.constantFrom(-DAY_MS, 0, Date.UTC(1900, 0, 1)),
);
const number = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...numbers) }, fc.integer({ min: -3, max: 3 }), fc.double({ noNaN: true, noDefaultInfinity: true }));
const profileText = orNull(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...texts) }, randomText));

const record = fc.record({
  channel: fc.constantFrom(...channels),
  cuid: fc.constantFrom(...cuidBases),
  firstName: profileText,
  lastName: profileText,
  email: orNull(fc.constantFrom(...emails)),
  phone: orNull(fc.constantFrom(...phones)),
  gender: orNull(fc.constantFrom(...enums.gender)),
  language: orNull(fc.constantFrom(...enums.language)),
  timezone: orNull(fc.constantFrom(...enums.timezone)),
  country: orNull(fc.constantFrom(...enums.country)),
  subscribedAt: orNull(instant),
  lastInteractionAt: orNull(instant),
  createdAt: instant,
  tags: fc.subarray(tagNames),
  sequences: fc.subarray(sequenceNames),
  otnTopics: fc.subarray(topicNames),
  nickname: orNull(fc.oneof(fc.constantFrom(...texts), randomText)),
  plan: orNull(fc.constantFrom(...planOptions)),
  score: orNull(number),
  vip: orNull(fc.boolean()),
  birthday: orNull(day),
  lastorder: orNull(instant),
});

type Rec = typeof record extends fc.Arbitrary<infer R> ? R : never;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toGen(r: Rec, i: number): GenContact {
  const wire: GenContact['contact']['fields'] = {};
  const stored: GenContact['stored'] = {};
  const set = (key: CustomKey, w: string | number | boolean | null, s: string | number | null) => {
    if (w === null || s === null) return;
    wire[key] = w;
    stored[key] = s;
  };
  set('nickname', r.nickname, r.nickname);
  set('plan', r.plan, r.plan);
  set('score', r.score, r.score);
  set('vip', r.vip, r.vip === null ? null : Number(r.vip));
  set('birthday', r.birthday === null ? null : isoDay(r.birthday), r.birthday);
  set('lastorder', iso(r.lastorder), r.lastorder);
  return {
    contact: {
      channel: r.channel,
      channelUserId: `${r.cuid}${i}`,
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      phone: r.phone,
      gender: r.gender,
      language: r.language,
      timezone: r.timezone,
      country: r.country,
      subscribedAt: iso(r.subscribedAt),
      lastInteractionAt: iso(r.lastInteractionAt),
      createdAt: iso(r.createdAt)!,
      tags: r.tags,
      sequences: r.sequences,
      otnTopics: r.otnTopics,
      fields: wire,
    },
    stored,
  };
}

export const contactsArb = (maxLength: number) =>
  fc.array(record, { maxLength, size: 'max' }).map((rs) => rs.map(toGen));

// ---- filter trees --------------------------------------------------------------------------

const offsetMinutes = [0, 120, -330, 840, -720];
const timeValue = fc.oneof(
  day.map(isoDay),
  fc.tuple(instant, fc.constantFrom(...offsetMinutes), fc.boolean()).map(([t, off, z]) => {
    const local = new Date(t + off * 60_000).toISOString().slice(0, -1);
    if (off === 0 && z) return `${local}Z`;
    const a = Math.abs(off);
    return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  }),
);
const timeRange = fc.tuple(timeValue, timeValue).map(([a, b]) => (parseFilterTime(a)!.start <= parseFilterTime(b)!.end ? [a, b] : [b, a]));
const days = fc.oneof(fc.constantFrom(...dayCounts), fc.integer({ min: 0, max: 40 }));
const numberRange = fc.tuple(number, number).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

const nameValues = fc.oneof(variant(texts), fc.constantFrom('ölaf émile', 'ana maria straße', ' ', 'a b'), randomText);
const textValues: Record<string, fc.Arbitrary<string>> = {
  name: nameValues,
  firstName: nameValues,
  lastName: nameValues,
  'custom.nickname': nameValues,
  email: fc.oneof(variant(emails), fc.constantFrom('@example.com', '.COM', 'Ö')),
  phone: fc.oneof(variant(phones), fc.constantFrom('+33', '5678', '+1555')),
  channelUserId: fc.oneof(variant(cuidBases), fc.constantFrom('psid-1', 'PSID-10', 'ölaf_3', 'wa:2', 'émile.12')),
  'custom.plan': fc.oneof(variant(planOptions), fc.constantFrom('gold', 'nope')),
  tags: fc.oneof(variant(tagNames), fc.constantFrom('vip', 'strasse', 'nope')),
  sequences: fc.oneof(variant(sequenceNames), fc.constantFrom('onboarding', 'nope')),
  otnTopics: fc.oneof(variant(topicNames), fc.constantFrom('price DROP', 'nope')),
  // "uſ" and "ﬁ" upper-case to "US" and "FI" but do not fold back to them: enums are compared
  // as stored (upper-case countries), and such needles must still match nothing.
  ...Object.fromEntries(Object.entries(enums).map(([k, pool]) => [k, fc.oneof(variant(pool), fc.constantFrom('nope', 'uſ', 'ﬁ'))])),
};

const fieldTypes: [string, FilterType][] = [
  ...(Object.entries(systemFields) as [string, FilterType][]),
  ...Object.entries(customFields).map(([k, t]): [string, FilterType] => [`custom.${k}`, t === 'select' ? 'enum' : t]),
];

function valueFor(field: string, type: FilterType, op: string): fc.Arbitrary<unknown> | null {
  const text = textValues[field];
  switch (op) {
    case 'isSet': case 'isNotSet': case 'isEmpty': case 'isNotEmpty': case 'isTrue': case 'isFalse':
      return null;
    case 'in': case 'notIn': case 'hasAnyOf': case 'hasAllOf': case 'hasNoneOf':
      return fc.array(text!, { minLength: 1, maxLength: 4 });
    case 'before': case 'after': case 'on':
      return timeValue;
    case 'olderThanDays': case 'withinDays':
      return days;
    case 'between':
      return type === 'number' ? numberRange : timeRange;
    default:
      return type === 'number' ? number : text!;
  }
}

const condition: fc.Arbitrary<Filter> = fc.oneof(
  ...fieldTypes.map(([field, type]) =>
    fc.oneof(
      ...operatorsByType[type].map((op) => {
        const value = valueFor(field, type, op);
        return value ? value.map((v) => ({ field, op, value: v })) : fc.constant({ field, op });
      }),
    ),
  ),
);

/** Trees up to 5 levels deep, groups of 1–3 children (≤ 81 conditions: always valid). */
export const filterArb: fc.Arbitrary<Filter> = fc.letrec<{ node: Filter; and: Filter; or: Filter; not: Filter }>((tie) => ({
  node: fc.oneof({ maxDepth: 4, depthIdentifier: 'filter' }, { weight: 3, arbitrary: condition }, tie('and'), tie('or'), tie('not')),
  and: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((and) => ({ and })),
  or: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((or) => ({ or })),
  not: tie('node').map((not) => ({ not })),
})).node;
