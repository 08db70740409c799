/**
 * The in-memory back end of the filter language. The SQL back end
 * (server/src/features/filter/compile.ts) must return exactly the same contacts; a property test
 * (server/test/filter.property.test.ts) holds the two together. Semantics, shared by both:
 *
 * - Text, enum and select values are compared folded (`fold`, = JS toLowerCase) on both sides.
 *   `name` is fold(trim(firstName + ' ' + lastName)) (column `nameKey`). `email` and `phone` are
 *   stored normalised (lower-cased, E.164) and compared as stored, like `nameKey`.
 * - A value is *set* when it is non-null; text also non-empty; a set also non-empty.
 * - Every operator is a positive test that is false on an unset value, or the negation of one
 *   (plan.ts). So `neq`, `notContains`, `notIn`, `hasNoneOf` match contacts whose value is not
 *   set, and `contains`, `gt`, `before`, … never do. `isSet`/`isNotSet`, `isNotEmpty`/`isEmpty`
 *   test set-ness; `isTrue`/`isFalse` match only a stored true/false.
 * - Numbers: `eq` is exact, `between [min, max]` is inclusive.
 * - Dates, all UTC, values in ms: a `YYYY-MM-DD` filter value covers its whole day
 *   [start, start + 1 day - 1 ms]; an ISO date-time value is one instant (start = end).
 *   `before x` → v < start(x); `after x` → v > end(x); `on x` → v within the UTC day holding
 *   start(x); `between [a, b]` → start(a) ≤ v ≤ end(b); `olderThanDays N` → v < now − N days;
 *   `withinDays N` → now − N days ≤ v ≤ now. Date custom fields hold UTC midnight of their day.
 * - Sets (`tags`, `sequences`, `otnTopics`) hold names, compared folded: `hasAnyOf`,
 *   `hasAllOf` (every listed name present), `hasNoneOf`.
 * - `not` negates its child; `and` / `or` as usual. In SQL each condition is 0/1, never NULL.
 */
import { fold } from './fold.ts';
import { foldedSystemFields, resolveField, type FieldRef } from './fields.ts';
import { boundAt, planCondition, type Bound, type Test } from './plan.ts';
import type { FieldCatalogue, Filter } from './schema.ts';

/** What the evaluator reads of a contact: its wire values (times ISO, custom values as in the API). */
export interface FilterContact {
  channel: string;
  channelUserId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  gender: string | null;
  language: string | null;
  timezone: string | null;
  country: string | null;
  subscribedAt: string | null;
  lastInteractionAt: string | null;
  createdAt: string;
  tags: string[];
  sequences: string[];
  otnTopics: string[];
  /** By custom field key: text/select string, number, boolean, date `YYYY-MM-DD`, datetime ISO. */
  fields: Record<string, string | number | boolean>;
}

export type ContactPredicate = (contact: FilterContact, now: number) => boolean;

type Value = string | number | boolean | string[] | null;
type Reader = (c: FilterContact) => Value;
type Check = (v: Value, now: number) => boolean;

/**
 * Compiles a validated filter into a predicate once, so evaluating every segment on every
 * contact change costs no tree interpretation. Throws on a filter validateFilter would reject.
 */
export function compilePredicate(filter: Filter, catalogue: FieldCatalogue): ContactPredicate {
  if ('and' in filter) {
    const parts = filter.and.map((f) => compilePredicate(f, catalogue));
    return (c, now) => parts.every((p) => p(c, now));
  }
  if ('or' in filter) {
    const parts = filter.or.map((f) => compilePredicate(f, catalogue));
    return (c, now) => parts.some((p) => p(c, now));
  }
  if ('not' in filter) {
    const inner = compilePredicate(filter.not, catalogue);
    return (c, now) => !inner(c, now);
  }
  const resolved = resolveField(filter.field, catalogue);
  if (!resolved.ok) throw new Error(resolved.message);
  const plan = planCondition(filter, resolved.ref);
  const read = reader(resolved.ref);
  const check = checker(plan.test);
  return plan.negate ? (c, now) => !check(read(c), now) : (c, now) => check(read(c), now);
}

/** Does the contact match the filter at `now` (ms)? Prefer compilePredicate for repeated use. */
export function matches(filter: Filter, contact: FilterContact, now: number, catalogue: FieldCatalogue): boolean {
  return compilePredicate(filter, catalogue)(contact, now);
}

const text = (s: string | null | undefined): string | null => (s ? fold(s) : null);
const time = (s: string | null | undefined): number | null => {
  if (!s) return null;
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms : null;
};

/** Reads the field as the SQL back end sees its column: folded text, ms, number, boolean, names. */
function reader(ref: FieldRef): Reader {
  if (ref.kind === 'custom') {
    const key = ref.key;
    const raw = (c: FilterContact) => (Object.hasOwn(c.fields, key) ? c.fields[key] : undefined);
    switch (ref.fieldType) {
      case 'text':
      case 'select':
        return (c) => {
          const v = raw(c);
          return typeof v === 'string' ? text(v) : null;
        };
      case 'number':
        return (c) => {
          const v = raw(c);
          return typeof v === 'number' && Number.isFinite(v) ? v : null;
        };
      case 'boolean':
        return (c) => {
          const v = raw(c);
          return typeof v === 'boolean' ? v : null;
        };
      case 'date':
      case 'datetime':
        return (c) => {
          const v = raw(c);
          return typeof v === 'string' ? time(v) : null;
        };
    }
  }
  const name = ref.name;
  switch (name) {
    case 'name':
      return (c) => fold(`${c.firstName ?? ''} ${c.lastName ?? ''}`.trim()) || null;
    case 'tags':
    case 'sequences':
    case 'otnTopics':
      return (c) => c[name].map(fold);
    case 'subscribedAt':
    case 'lastInteractionAt':
    case 'createdAt':
      return (c) => time(c[name]);
    default:
      return foldedSystemFields.has(name) ? (c) => c[name] || null : (c) => text(c[name]);
  }
}

function within(v: number, lo: Bound | null, hi: Bound | null, now: number): boolean {
  if (lo && !(lo.inclusive ? v >= boundAt(lo, now) : v > boundAt(lo, now))) return false;
  if (hi && !(hi.inclusive ? v <= boundAt(hi, now) : v < boundAt(hi, now))) return false;
  return true;
}

/** The positive test; false on an unset value (null, or an empty set). */
function checker(test: Test): Check {
  switch (test.kind) {
    case 'isSet':
      return (v) => (Array.isArray(v) ? v.length > 0 : v !== null);
    case 'text': {
      const n = test.needle;
      const match: (s: string) => boolean =
        test.match === 'eq'
          ? (s) => s === n
          : test.match === 'contains'
            ? (s) => s.includes(n)
            : test.match === 'startsWith'
              ? (s) => s.startsWith(n)
              : (s) => s.endsWith(n);
      return (v) => typeof v === 'string' && match(v);
    }
    case 'oneOf': {
      const values = new Set(test.values);
      return (v) => typeof v === 'string' && values.has(v);
    }
    case 'range': {
      const { lo, hi } = test;
      return (v, now) => typeof v === 'number' && within(v, lo, hi, now);
    }
    case 'bool':
      return (v) => v === test.value;
    case 'hasAny':
      return (v) => Array.isArray(v) && test.names.some((n) => v.includes(n));
    case 'hasAll':
      return (v) => Array.isArray(v) && test.names.every((n) => v.includes(n));
  }
}
