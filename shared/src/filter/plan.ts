import { fold } from './fold.ts';
import type { FieldRef } from './fields.ts';
import type { Condition, FilterType } from './schema.ts';
import { DAY_MS, dayStart, parseFilterTime, type TimeSpan } from './time.ts';

/**
 * A condition normalised for the back ends: a positive test that is false on an unset value,
 * optionally negated. Every operator of the language is one of these, so the evaluator and the
 * SQL compiler each implement six tests instead of forty operators, and agree on what the
 * values mean (folding, day bounds, inclusive ends) because the meaning is decided here once.
 */
export interface Plan {
  field: FieldRef;
  test: Test;
  /** Negative operators (`neq`, `notContains`, `notIn`, `hasNoneOf`, `isNotSet`, `isEmpty`). */
  negate: boolean;
}

type TextMatch = 'eq' | 'contains' | 'startsWith' | 'endsWith';

export type Test =
  /** The value is set: non-null, non-empty text, a non-empty set. */
  | { kind: 'isSet' }
  /** Folded text against a folded needle. */
  | { kind: 'text'; match: TextMatch; needle: string }
  /** Folded text equal to one of the folded values. */
  | { kind: 'oneOf'; values: string[] }
  /** A number or an instant (ms) within the bounds. */
  | { kind: 'range'; lo: Bound | null; hi: Bound | null }
  | { kind: 'bool'; value: boolean }
  /** Sets: some / every folded name present. */
  | { kind: 'hasAny'; names: string[] }
  | { kind: 'hasAll'; names: string[] };

/** `at`, or `now + at` when `fromNow` (day counts are relative to the `now` given to a back end). */
export interface Bound {
  at: number;
  inclusive: boolean;
  fromNow: boolean;
}

/** What the `value` of an operator must be (validate.ts checks it). */
export type ValueKind = 'none' | 'string' | 'strings' | 'number' | 'numberRange' | 'time' | 'timeRange' | 'days';

export function valueKind(type: FilterType, op: string): ValueKind {
  switch (op) {
    case 'isSet':
    case 'isNotSet':
    case 'isEmpty':
    case 'isNotEmpty':
    case 'isTrue':
    case 'isFalse':
      return 'none';
    case 'in':
    case 'notIn':
    case 'hasAnyOf':
    case 'hasAllOf':
    case 'hasNoneOf':
      return 'strings';
    case 'before':
    case 'after':
    case 'on':
      return 'time';
    case 'olderThanDays':
    case 'withinDays':
      return 'days';
    case 'between':
      return type === 'number' ? 'numberRange' : 'timeRange';
    default:
      return type === 'number' ? 'number' : 'string';
  }
}

const at = (value: number, inclusive: boolean, fromNow = false): Bound => ({ at: value, inclusive, fromNow });
const unique = (xs: string[]) => [...new Set(xs.map(fold))];

/** Normalises a condition that validateFilter accepted for this field. Throws on anything else. */
export function planCondition(c: Condition, field: FieldRef): Plan {
  const pos = (test: Test): Plan => ({ field, test, negate: false });
  const neg = (test: Test): Plan => ({ field, test, negate: true });
  const v = c.value;
  const isSet: Test = { kind: 'isSet' };

  switch (`${field.type}:${c.op}`) {
    case 'text:eq':
    case 'text:contains':
    case 'text:startsWith':
    case 'text:endsWith':
      return pos({ kind: 'text', match: c.op as TextMatch, needle: fold(v as string) });
    case 'text:neq':
      return neg({ kind: 'text', match: 'eq', needle: fold(v as string) });
    case 'text:notContains':
      return neg({ kind: 'text', match: 'contains', needle: fold(v as string) });
    case 'enum:eq':
      return pos({ kind: 'oneOf', values: [fold(v as string)] });
    case 'enum:neq':
      return neg({ kind: 'oneOf', values: [fold(v as string)] });
    case 'enum:in':
      return pos({ kind: 'oneOf', values: unique(v as string[]) });
    case 'enum:notIn':
      return neg({ kind: 'oneOf', values: unique(v as string[]) });
    case 'number:eq':
      return pos({ kind: 'range', lo: at(v as number, true), hi: at(v as number, true) });
    case 'number:neq':
      return neg({ kind: 'range', lo: at(v as number, true), hi: at(v as number, true) });
    case 'number:gt':
      return pos({ kind: 'range', lo: at(v as number, false), hi: null });
    case 'number:gte':
      return pos({ kind: 'range', lo: at(v as number, true), hi: null });
    case 'number:lt':
      return pos({ kind: 'range', lo: null, hi: at(v as number, false) });
    case 'number:lte':
      return pos({ kind: 'range', lo: null, hi: at(v as number, true) });
    case 'number:between': {
      const [min, max] = v as [number, number];
      return pos({ kind: 'range', lo: at(min, true), hi: at(max, true) });
    }
    case 'boolean:isTrue':
      return pos({ kind: 'bool', value: true });
    case 'boolean:isFalse':
      return pos({ kind: 'bool', value: false });
    case 'set:hasAnyOf':
      return pos({ kind: 'hasAny', names: unique(v as string[]) });
    case 'set:hasAllOf':
      return pos({ kind: 'hasAll', names: unique(v as string[]) });
    case 'set:hasNoneOf':
      return neg({ kind: 'hasAny', names: unique(v as string[]) });
    case 'set:isNotEmpty':
      return pos(isSet);
    case 'set:isEmpty':
      return neg(isSet);
  }
  if (c.op === 'isSet') return pos(isSet);
  if (c.op === 'isNotSet') return neg(isSet);
  if (field.type === 'date' || field.type === 'datetime') return pos(timeTest(c.op, v));
  throw new Error(`operator ${c.op} does not apply to a ${field.type} field`);
}

function span(v: unknown): TimeSpan {
  const s = parseFilterTime(v);
  if (!s) throw new Error(`not a filter date: ${String(v)}`);
  return s;
}

/** Dates (all UTC): a `YYYY-MM-DD` value covers its whole day, a date-time value is one instant. */
function timeTest(op: string, v: unknown): Test {
  switch (op) {
    case 'before':
      return { kind: 'range', lo: null, hi: at(span(v).start, false) };
    case 'after':
      return { kind: 'range', lo: at(span(v).end, false), hi: null };
    case 'on': {
      const day = dayStart(span(v).start);
      return { kind: 'range', lo: at(day, true), hi: at(day + DAY_MS - 1, true) };
    }
    case 'between': {
      const [from, to] = v as [unknown, unknown];
      return { kind: 'range', lo: at(span(from).start, true), hi: at(span(to).end, true) };
    }
    case 'olderThanDays':
      return { kind: 'range', lo: null, hi: at(-(v as number) * DAY_MS, false, true) };
    case 'withinDays':
      return { kind: 'range', lo: at(-(v as number) * DAY_MS, true, true), hi: at(0, true, true) };
  }
  throw new Error(`operator ${op} does not apply to a date field`);
}

/** The bound's instant for a given `now`. */
export function boundAt(b: Bound, now: number): number {
  return b.fromNow ? now + b.at : b.at;
}
