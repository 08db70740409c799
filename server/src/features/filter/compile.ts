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
  /** How custom-field and set conditions are written (see SubqueryForm); `list` by default. */
  form?: SubqueryForm;
  /**
   * Overrides `form`: the driver of this index (CompiledFilter.drivers) is written as an id
   * list (`list`) or as TRUE (`true`, for a query that reads its ids itself), every other
   * custom-field and set condition as a probe.
   */
  driver?: { index: number; as: 'list' | 'true' };
  /**
   * The database the text is for; the same text but for time bounds, which PostgreSQL compares
   * through `sb_time(ms)` (its columns are timestamps, SQLite's unix ms). SQLite by default.
   */
  dialect?: 'sqlite' | 'postgres';
}

/**
 * Custom-field and set conditions select contacts through another table, in one of two
 * equivalent shapes (both 0 or 1, never NULL, so any mix gives the same rows):
 * `c.id IN (SELECT contactId …)`, an id list SQLite can drive the query from (read the index
 * of the value, look each contact up) but otherwise builds whole before the first row; or
 * `EXISTS (SELECT 1 … WHERE contactId = c.id …)`, one primary-key probe per contact read in
 * whatever order the query reads contacts, e.g. along a sort index, stopping with the page.
 *
 * - `list`: every such condition as an id list;
 * - `probe`: every one as a probe (for walking contacts in an order, or checking given ones);
 * - `drive`: id lists where the condition holds positively (it can drive, or be built once),
 *   probes under a negation, where a list would be built whole only to be excluded.
 */
export type SubqueryForm = 'list' | 'probe' | 'drive';

/** A boolean SQL expression over the contact alias `c` ("Contact") and its `?` parameters, in order. */
export interface CompiledFilter {
  where: string;
  params: (string | number)[];
  /** Custom-field and set conditions in the tree (0: the form does not matter). */
  subqueries: number;
  /**
   * Conditions that every matching contact meets and whose ids one index range yields: id
   * lists (custom-field and set tests an index can seek, not `contains` / `endsWith`) joined to
   * the root only by AND, never negated. Each is `SELECT contactId FROM …` with its parameters,
   * to be counted cheaply or read in place of a scan; `index` names it in `driver`.
   */
  drivers: Driver[];
  /** Every condition of the tree is one of `drivers` (an AND of id lists, nothing else). */
  onlyDrivers: boolean;
  /**
   * Custom-field conditions whose probe must read the FieldValue row (ranges, set, prefix and
   * substring tests): ~3.6 µs a contact at a million, against ~0.4 µs for a probe answered by an
   * index alone (sets, and equality tests through FieldValue(fieldId, col, contactId)).
   */
  rowProbes: number;
}

export interface Driver {
  index: number;
  sql: string;
  params: (string | number)[];
  /**
   * Whether a contact can appear twice: never for one field's values (FieldValue's key is
   * (contactId, fieldId)); for a set, only when more than one of its rows match the names
   * ("VIP" and "vip"), which `keys` counts.
   */
  unique: boolean;
  keys?: { sql: string; params: (string | number)[] };
}

type Column = {
  sql: string;
  /** Stored folded already (nameKey, e-mail, phone, textKey): compared without `sb_fold`. */
  folded: boolean;
  text: boolean;
  /** An enum stored in one ASCII case (see storedCase); compared as stored. */
  stored?: 'lower' | 'upper';
  /** A DateTime column: bounds are written through `time`. */
  time?: boolean;
};

/**
 * Enum columns every writer stores in a fixed ASCII case (docs/DATA.md; profile.ts normalises,
 * `channel` and `gender` are closed lists): compared as stored, so no JavaScript `sb_fold` call
 * per contact and the column could use an index. A lower-case value is its own fold; an
 * upper-case one (country) equals a folded needle exactly when it is that needle upper-cased,
 * if the needle is ASCII letters; any other needle ("uſ" upper-cases to "US" but does not fold
 * back to it) is left as it is and matches nothing, as in the evaluator. `timezone` keeps its
 * IANA mixed case as given, so it is still folded in SQL.
 */
const storedCase: Partial<Record<SystemField, 'lower' | 'upper'>> = { gender: 'lower', language: 'lower', channel: 'lower', country: 'upper' };
const asStored = (needle: string, stored: 'lower' | 'upper' | undefined) =>
  stored === 'upper' && /^[a-z]*$/.test(needle) ? needle.toUpperCase() : needle;

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
  date: { sql: 'time', folded: false, text: false, time: true },
  datetime: { sql: 'time', folded: false, text: false, time: true },
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
  const time = (ms: number) => (ctx.dialect === 'postgres' ? `sb_time(${p(ms)})` : p(ms));
  const catalogue = { custom: ctx.fields };
  const form = ctx.form ?? 'list';
  let subqueries = 0;
  const drivers: Driver[] = [];
  let onlyDrivers = true;
  let rowProbes = 0;

  /** `top`: joined to the root by AND only, `negated`: under an odd number of NOTs. */
  const node = (f: Filter, negated: boolean, top: boolean): string => {
    if ('and' in f) return `(${f.and.map((x) => node(x, negated, top)).join(' AND ')})`;
    if ('or' in f) return `(${f.or.map((x) => node(x, negated, false)).join(' OR ')})`;
    if ('not' in f) return `NOT ${node(f.not, !negated, false)}`;
    const resolved = resolveField(f.field, catalogue);
    if (!resolved.ok) throw new Error(`compileFilter: ${resolved.message}`);
    const plan = planCondition(f, resolved.ref);
    const probe = form === 'probe' || (form === 'drive' && negated !== plan.negate);
    const seekable = !(plan.test.kind === 'text' && (plan.test.match === 'contains' || plan.test.match === 'endsWith'));
    const driver = top && !plan.negate && seekable;
    const before = drivers.length;
    const positive = condition(resolved.ref, plan.test, { probe, driver });
    // A profile test, or a set's isSet probe, adds no driver.
    if (!driver || drivers.length === before) onlyDrivers = false;
    return plan.negate ? `NOT ${positive}` : positive;
  };

  type Shape = { probe: boolean; driver: boolean };
  /** `c.id IN (SELECT contactId FROM <from> WHERE <cond>)`, or its probe twin. */
  const through = (from: string, cond: () => string, shape: Shape, keys?: Driver['keys']): string => {
    const index = subqueries++;
    const start = params.length;
    const where = cond();
    if (shape.driver) drivers.push({ index, sql: `SELECT contactId FROM ${from} WHERE ${where}`, params: params.slice(start), unique: from === 'FieldValue', keys });
    const chosen = ctx.driver?.index === index ? ctx.driver.as : ctx.driver ? 'probe' : shape.probe ? 'probe' : 'list';
    if (chosen === 'true') {
      // The caller reads these ids itself (Driver.sql): drop the condition and its parameters.
      params.splice(start);
      return 'TRUE';
    }
    return chosen === 'probe'
      ? `EXISTS (SELECT 1 FROM ${from} WHERE contactId = c.id AND ${where})`
      : `c.id IN (SELECT contactId FROM ${from} WHERE ${where})`;
  };

  /** The positive test as a parenthesised 0/1 expression. */
  const condition = (ref: FieldRef, test: Test, shape: Shape): string => {
    if (ref.kind === 'custom') {
      const field = ctx.fields[ref.key]!;
      const col = valueColumns[field.type];
      if (!(test.kind === 'oneOf' || test.kind === 'bool' || (test.kind === 'text' && test.match === 'eq'))) rowProbes++;
      return `(${through('FieldValue', () => `fieldId = ${p(field.id)} AND ${valueTest(col, test)}`, shape)})`;
    }
    if (ref.name === 'tags' || ref.name === 'sequences' || ref.name === 'otnTopics') return setTest(setTables[ref.name], test, shape);
    const text = ref.type === 'text' || ref.type === 'enum';
    const column = { sql: contactColumns[ref.name], folded: foldedSystemFields.has(ref.name), text, stored: storedCase[ref.name], time: ref.type === 'date' || ref.type === 'datetime' };
    return `(${valueTest(column, test)})`;
  };

  /** `col` is set and passes the test; never NULL. */
  const valueTest = (col: Column, test: Test): string => {
    const x = col.sql;
    const set = col.text ? `${x} IS NOT NULL AND ${x} <> ''` : `${x} IS NOT NULL`;
    const fx = col.folded || col.stored ? x : `sb_fold(${x})`;
    switch (test.kind) {
      case 'isSet':
        return set;
      case 'oneOf':
        return `${set} AND ${fx} IN (${list(test.values.map((v) => asStored(v, col.stored)))})`;
      case 'bool':
        return `${set} AND ${x} = ${test.value ? 1 : 0}`;
      case 'range':
        return [set, bound(col, '>', test.lo), bound(col, '<', test.hi)].filter(Boolean).join(' AND ');
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
          case 'endsWith': {
            // substr and length count characters (code points), so the needle is counted the same
            // way. The start is counted from the front: a negative start counts from the end on
            // SQLite but not on PostgreSQL; the length check keeps it at 1 or more.
            const n = [...test.needle].length;
            return `${set} AND length(${fx}) >= ${p(n)} AND substr(${fx}, length(${fx}) - ${p(n - 1)}) = ${p(test.needle)}`;
          }
        }
      // falls through: a set test on a value column cannot come out of planCondition
      default:
        throw new Error(`compileFilter: ${test.kind} does not apply to a value column`);
    }
  };

  const bound = (col: Column, dir: '>' | '<', b: Bound | null): string =>
    b ? `${col.sql} ${dir}${b.inclusive ? '=' : ''} ${col.time ? time(boundAt(b, ctx.now)) : p(boundAt(b, ctx.now))}` : '';

  const setTest = (t: (typeof setTables)[SetField], test: Test, shape: Shape): string => {
    const named = (names: readonly string[], q: (v: string | number) => string) =>
      `SELECT id FROM ${t.names} WHERE workspaceId = ${q(ctx.workspaceId)} AND sb_fold(name) IN (${names.map(q).join(', ')})`;
    const anyOf = (names: readonly string[]) => {
      const keys: (string | number)[] = [];
      const sql = `SELECT count(*) FROM (${named(names, (v) => (keys.push(v), '?'))}) AS k`;
      return through(t.link, () => `${t.fk} IN (${named(names, p)})`, shape, { sql, params: keys });
    };
    switch (test.kind) {
      case 'isSet':
        // Always a probe: as a list it would hold nearly every contact.
        subqueries++;
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

  const where = node(filter, false, true);
  return { where, params, subqueries, drivers, onlyDrivers, rowProbes };
}
