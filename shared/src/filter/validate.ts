import { formatPath, issuesFromZod, type ValidationIssue } from '../errors.ts';
import { operatorsOf, resolveField, typeLabel } from './fields.ts';
import { valueKind, type ValueKind } from './plan.ts';
import { Condition, Filter, MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, type FieldCatalogue } from './schema.ts';
import { parseFilterTime } from './time.ts';

export type FilterValidation = { ok: true; filter: Filter } | { ok: false; issues: ValidationIssue[] };

export const MAX_FILTER_STRING = 500;
export const MAX_FILTER_LIST = 100;
export const MAX_FILTER_DAYS = 36_500;
/** Issues reported at most; the first is the first bad node in document order. */
const MAX_ISSUES = 5;

type Path = ReadonlyArray<string | number>;
const groupKeys = ['and', 'or', 'not'] as const;

/**
 * Checks a filter tree against a workspace's fields. The tree is walked node by node (rather
 * than reading zod's union errors, which all point at the union) so each issue names the first
 * bad node: `and[1].value`, `or[0].not.op`, `value` for a root condition. The depth and count
 * limits are checked during the walk, before any recursion beyond them.
 */
export function validateFilter(input: unknown, catalogue: FieldCatalogue): FilterValidation {
  const issues: ValidationIssue[] = [];
  let conditions = 0;
  let stopped = false;
  const add = (issue: ValidationIssue) => {
    if (stopped) return;
    issues.push(issue);
    if (issues.length >= MAX_ISSUES) stopped = true;
  };
  const report = (path: Path, message: string) => add({ path: formatPath(path) || '(root)', message });

  const walk = (node: unknown, path: Path, depth: number): void => {
    if (stopped) return;
    if (depth > MAX_FILTER_DEPTH) {
      report(path, `filters nest at most ${MAX_FILTER_DEPTH} levels deep`);
      stopped = true;
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      report(path, 'must be a condition { field, op, value } or a group { and: [...] }, { or: [...] }, { not: ... }');
      return;
    }
    const group = groupKeys.find((k) => Object.hasOwn(node, k));
    if (!group) return condition(node, path);

    const extra = Object.keys(node).filter((k) => k !== group);
    if (extra.length) report(path, `a group has only its "${group}" key; remove ${extra.map((k) => `"${k}"`).join(', ')}`);
    const body = (node as Record<string, unknown>)[group];
    if (group === 'not') return walk(body, [...path, 'not'], depth + 1);
    if (!Array.isArray(body) || body.length === 0) {
      report([...path, group], 'a group needs at least one condition');
      return;
    }
    body.forEach((child, i) => walk(child, [...path, group, i], depth + 1));
  };

  const condition = (node: object, path: Path): void => {
    const shape = Condition.safeParse(node);
    if (!shape.success) {
      issuesFromZod(shape.error, path).forEach(add);
      return;
    }
    if (++conditions > MAX_FILTER_CONDITIONS) {
      report(path, `a filter has at most ${MAX_FILTER_CONDITIONS} conditions`);
      stopped = true;
      return;
    }
    const { field, op, value } = shape.data;
    const resolved = resolveField(field, catalogue);
    if (!resolved.ok) return report([...path, 'field'], resolved.message);
    const ops = operatorsOf(resolved.ref);
    if (!ops.includes(op)) {
      const label = typeLabel(resolved.ref);
      const article = /^[aeiou]/.test(label) ? 'an' : 'a';
      return report([...path, 'op'], `${field} is ${article} ${label} field; "${op}" is not one of its operators (${ops.join(', ')})`);
    }
    const bad = checkValue(valueKind(resolved.ref.type, op), op, value);
    if (bad) report([...path, 'value', ...bad.at], bad.message);
  };

  walk(input, [], 1);
  if (issues.length) return { ok: false, issues };
  // The walk accepted every node, so this only builds the typed value; kept as the authority.
  const parsed = Filter.safeParse(input);
  return parsed.success ? { ok: true, filter: parsed.data } : { ok: false, issues: issuesFromZod(parsed.error) };
}

type Bad = { at: Path; message: string } | null;

const TEXT = `must be a non-empty string of at most ${MAX_FILTER_STRING} characters (no NUL, valid Unicode)`;
const TIME = 'must be a date (YYYY-MM-DD) or an ISO date-time with offset (2024-05-01T09:30:00Z)';

// NUL and unpaired surrogates do not survive the trip into SQLite unchanged (UTF-8 conversion,
// C-string functions), so a value holding them could match differently in SQL and in memory.
const UNSAFE = /[\u0000\uD800-\uDFFF]/u;
const isText = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_FILTER_STRING && !UNSAFE.test(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkValue(kind: ValueKind, op: string, value: unknown): Bad {
  const here = (message: string): Bad => ({ at: [], message });
  if (kind === 'none') return value === undefined ? null : here(`${op} takes no value`);
  if (value === undefined) return here(`${op} needs a value`);
  switch (kind) {
    case 'string':
      return isText(value) ? null : here(TEXT);
    case 'strings': {
      if (!Array.isArray(value) || value.length === 0 || value.length > MAX_FILTER_LIST) {
        return here(`must be a list of 1 to ${MAX_FILTER_LIST} strings`);
      }
      const i = value.findIndex((x) => !isText(x));
      return i < 0 ? null : { at: [i], message: TEXT };
    }
    case 'number':
      return isNumber(value) ? null : here('must be a finite number');
    case 'numberRange': {
      const pair = checkPair(value, isNumber, 'must be [min, max]', 'must be a finite number');
      if (pair) return pair;
      const [min, max] = value as [number, number];
      return min <= max ? null : here('must be [min, max] with min ≤ max');
    }
    case 'time':
      return parseFilterTime(value) ? null : here(TIME);
    case 'timeRange': {
      const pair = checkPair(value, (x) => parseFilterTime(x) !== null, 'must be [from, to]', TIME);
      if (pair) return pair;
      const [from, to] = (value as [string, string]).map(parseFilterTime);
      return from!.start <= to!.end ? null : here('must be [from, to] with from not after to');
    }
    case 'days':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_FILTER_DAYS
        ? null
        : here(`must be a whole number of days from 0 to ${MAX_FILTER_DAYS}`);
  }
}

function checkPair(value: unknown, ok: (x: unknown) => boolean, shape: string, message: string): Bad {
  if (!Array.isArray(value) || value.length !== 2) return { at: [], message: shape };
  const i = value.findIndex((x) => !ok(x));
  return i < 0 ? null : { at: [i], message };
}
