import type { FieldType } from '@switchboard/shared';
import {
  boundAt,
  foldedSystemFields,
  planCondition,
  resolveField,
  type Bound,
  type FieldRef,
  type Filter,
  type SystemField,
  type Test,
} from '@switchboard/shared/filter/index';
import { prefixUpperBound } from './prefix.ts';

export interface CompileContext {
  workspaceId: number;
  /** The workspace's custom fields by key. */
  fields: Record<string, { id: number; type: FieldType }>;
  /** Reference time (ms) for day counts; the evaluator must be given the same. */
  now: number;
}

/** A boolean SQL expression over the contact alias `c` ("Contact") and its `?` parameters, in order. */
export interface CompiledFilter {
  where: string;
  params: (string | number)[];
}

type Column = { sql: string; folded: boolean; text: boolean };

/** Profile columns by field. Only these fixed names ever reach the SQL text. */
const contactColumns: Record<Exclude<SystemField, SetField>, string> = {
  name: 'c.nameKey',
  firstName: 'c.firstName',
  lastName: 'c.lastName',
  email: 'c.email',
  phone: 'c.phone',
  channelUserId: 'c.channelUserId',
  gender: 'c.gender',
  language: 'c.language',
  timezone: 'c.timezone',
  country: 'c.country',
  channel: 'c.channel',
  subscribedAt: 'c.subscribedAt',
  lastInteractionAt: 'c.lastInteractionAt',
  createdAt: 'c.createdAt',
};

type SetField = 'tags' | 'sequences' | 'otnTopics';
const setTables: Record<SetField, { link: string; fk: string; names: string }> = {
  tags: { link: 'ContactTag', fk: 'tagId', names: 'Tag' },
  sequences: { link: 'ContactSequence', fk: 'sequenceId', names: 'Sequence' },
  otnTopics: { link: 'ContactOtnTopic', fk: 'topicId', names: 'OtnTopic' },
};

/** FieldValue's typed column per custom field type (docs/DATA.md). */
const valueColumns: Record<FieldType, Column> = {
  text: { sql: 'textKey', folded: true, text: true },
  select: { sql: 'textKey', folded: true, text: true },
  number: { sql: 'number', folded: false, text: false },
  boolean: { sql: 'number', folded: false, text: false },
  date: { sql: 'time', folded: false, text: false },
  datetime: { sql: 'time', folded: false, text: false },
};

/**
 * Compiles a validated filter to SQL with the semantics of shared/src/filter/evaluate.ts. Every
 * value, field id and time is a parameter. Each condition is NULL-safe (0 or 1), so `NOT`
 * negates exactly as the evaluator does. Custom fields and sets are `c.id [NOT] IN (subquery)`
 * over the covering indexes (FieldValue(fieldId, col, contactId), Contact<Set>(fk, contactId)),
 * which SQLite can use to drive the whole query when the condition is selective.
 */
export function compileFilter(filter: Filter, ctx: CompileContext): CompiledFilter {
  const params: (string | number)[] = [];
  const p = (v: string | number) => {
    params.push(v);
    return '?';
  };
  const list = (vs: readonly string[]) => vs.map(p).join(', ');
  const catalogue = { custom: ctx.fields };

  const node = (f: Filter): string => {
    if ('and' in f) return `(${f.and.map(node).join(' AND ')})`;
    if ('or' in f) return `(${f.or.map(node).join(' OR ')})`;
    if ('not' in f) return `NOT ${node(f.not)}`;
    const resolved = resolveField(f.field, catalogue);
    if (!resolved.ok) throw new Error(`compileFilter: ${resolved.message}`);
    const plan = planCondition(f, resolved.ref);
    const positive = condition(resolved.ref, plan.test);
    return plan.negate ? `NOT ${positive}` : positive;
  };

  /** The positive test as a parenthesised 0/1 expression. */
  const condition = (ref: FieldRef, test: Test): string => {
    if (ref.kind === 'custom') {
      const field = ctx.fields[ref.key]!;
      const col = valueColumns[field.type];
      return `(c.id IN (SELECT contactId FROM FieldValue WHERE fieldId = ${p(field.id)} AND ${valueTest(col, test)}))`;
    }
    if (ref.name === 'tags' || ref.name === 'sequences' || ref.name === 'otnTopics') return setTest(setTables[ref.name], test);
    const text = ref.type === 'text' || ref.type === 'enum';
    return `(${valueTest({ sql: contactColumns[ref.name], folded: foldedSystemFields.has(ref.name), text }, test)})`;
  };

  /** `col` is set and passes the test; never NULL. */
  const valueTest = (col: Column, test: Test): string => {
    const x = col.sql;
    const set = col.text ? `${x} IS NOT NULL AND ${x} <> ''` : `${x} IS NOT NULL`;
    const fx = col.folded ? x : `sb_fold(${x})`;
    switch (test.kind) {
      case 'isSet':
        return set;
      case 'oneOf':
        return `${set} AND ${fx} IN (${list(test.values)})`;
      case 'bool':
        return `${set} AND ${x} = ${test.value ? 1 : 0}`;
      case 'range':
        return [set, bound(x, '>', test.lo), bound(x, '<', test.hi)].filter(Boolean).join(' AND ');
      case 'text':
        switch (test.match) {
          case 'eq':
            return `${set} AND ${fx} = ${p(test.needle)}`;
          case 'contains':
            return `${set} AND instr(${fx}, ${p(test.needle)}) > 0`;
          case 'startsWith': {
            // A stored-folded column (nameKey, email, textKey) is range-scanned on its index.
            const upper = col.folded ? prefixUpperBound(test.needle) : null;
            if (upper !== null) return `${set} AND ${x} >= ${p(test.needle)} AND ${x} < ${p(upper)}`;
            return `${set} AND instr(${fx}, ${p(test.needle)}) = 1`;
          }
          case 'endsWith':
            // substr counts characters (code points), so the length is counted the same way.
            return `${set} AND substr(${fx}, ${p(-[...test.needle].length)}) = ${p(test.needle)}`;
        }
      // falls through: a set test on a value column cannot come out of planCondition
      default:
        throw new Error(`compileFilter: ${test.kind} does not apply to a value column`);
    }
  };

  const bound = (x: string, dir: '>' | '<', b: Bound | null): string =>
    b ? `${x} ${dir}${b.inclusive ? '=' : ''} ${p(boundAt(b, ctx.now))}` : '';

  const setTest = (t: (typeof setTables)[SetField], test: Test): string => {
    const anyOf = (names: readonly string[]) =>
      `c.id IN (SELECT contactId FROM ${t.link} WHERE ${t.fk} IN ` +
      `(SELECT id FROM ${t.names} WHERE workspaceId = ${p(ctx.workspaceId)} AND sb_fold(name) IN (${list(names)})))`;
    switch (test.kind) {
      case 'isSet':
        return `(EXISTS (SELECT 1 FROM ${t.link} WHERE contactId = c.id))`;
      case 'hasAny':
        return `(${anyOf(test.names)})`;
      case 'hasAll':
        // One indexed IN per name: every listed name must be present.
        return `(${test.names.map((n) => anyOf([n])).join(' AND ')})`;
      default:
        throw new Error(`compileFilter: ${test.kind} does not apply to a set`);
    }
  };

  return { where: node(filter), params };
}
