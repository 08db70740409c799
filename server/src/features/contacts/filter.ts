import { validateFilter, type Filter, type ValidationIssue } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { AppError, notFound, validation } from '../../lib/errors.ts';
import { compileFilter, type Driver, type SubqueryForm } from '../filter/compile.ts';
import type { Catalogue } from '../catalogue/service.ts';

export interface SqlWhere {
  sql: string;
  params: (string | number)[];
}

/** Validates a filter tree against the workspace's fields; issues carry `prefix` + node path. */
export function checkFilter(input: unknown, catalogue: Catalogue, prefix = ''): Filter {
  const result = validateFilter(input, catalogue.filter);
  if (!result.ok) {
    const issues: ValidationIssue[] = result.issues.map((i) => ({
      path: prefix ? (i.path === '(root)' ? prefix : `${prefix}.${i.path}`) : i.path,
      message: i.message,
    }));
    throw validation(issues, `Invalid filter at ${issues[0]?.path}: ${issues[0]?.message}`);
  }
  return result.filter;
}

/**
 * A list's filter, compiled on demand in the form each query wants (compile.ts): SQLite can
 * only drive a query from the conditions written as id lists, and only walk a sort index
 * cheaply past the ones written as probes.
 */
export interface ListFilter {
  sql(form: SubqueryForm | { index: number; as: 'list' | 'true' }): SqlWhere;
  /** Custom-field and set conditions (0: one form fits all). */
  subqueries: number;
  /** The id lists every match is in (CompiledFilter.drivers). */
  drivers: Driver[];
  /** The filter is nothing but an AND of those lists. */
  onlyDrivers: boolean;
  /** Conditions whose probe reads a FieldValue row (CompiledFilter.rowProbes). */
  rowProbes: number;
}

/** `dialect`: the database the text runs on (`sql.dialect`); it writes time bounds differently. */
export function toSql(
  filter: Filter, workspaceId: number, catalogue: Catalogue, now = Date.now(), form: SubqueryForm = 'list', dialect?: Sql['dialect'],
): SqlWhere {
  const { where, params } = compileFilter(filter, { workspaceId, fields: catalogue.compile, now, form, dialect });
  return { sql: where, params };
}

/** The AND of the given trees (undefined when there are none); `dialect` as for toSql. */
export function toListFilter(trees: Filter[], workspaceId: number, catalogue: Catalogue, now = Date.now(), dialect?: Sql['dialect']): ListFilter | undefined {
  if (!trees.length) return undefined;
  const tree: Filter = trees.length === 1 ? trees[0]! : { and: trees };
  const compiled = new Map<string, SqlWhere>();
  const compile = (form: Parameters<ListFilter['sql']>[0]) => {
    const ctx = { workspaceId, fields: catalogue.compile, now, dialect, ...(typeof form === 'string' ? { form } : { driver: form }) };
    const { where, params, subqueries, drivers, onlyDrivers, rowProbes } = compileFilter(tree, ctx);
    return { sql: where, params, subqueries, drivers, onlyDrivers, rowProbes };
  };
  const first = compile('drive');
  compiled.set('"drive"', first);
  return {
    subqueries: first.subqueries,
    drivers: first.drivers,
    onlyDrivers: first.onlyDrivers,
    rowProbes: first.rowProbes,
    sql: (form) => {
      const key = JSON.stringify(form);
      let hit = compiled.get(key);
      if (!hit) compiled.set(key, (hit = compile(form)));
      return { sql: hit.sql, params: hit.params };
    },
  };
}

/** `?filter=<JSON>` text → a checked tree. */
export function parseFilterParam(text: string, catalogue: Catalogue): Filter {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw validation([{ path: 'filter', message: 'must be JSON' }]);
  }
  return checkFilter(parsed, catalogue);
}

export interface SegmentRow {
  id: number;
  name: string;
  filter: string;
}

/** A saved segment's tree, re-checked: a field it uses may have been deleted since. */
export async function segmentFilter(sql: Sql, workspaceId: number, segmentId: number, catalogue: Catalogue): Promise<Filter> {
  const seg = await sql.get<SegmentRow>('SELECT id, name, filter FROM Segment WHERE id = ? AND workspaceId = ?', [segmentId, workspaceId]);
  if (!seg) throw notFound('Segment');
  const result = validateFilter(JSON.parse(seg.filter), catalogue.filter);
  if (!result.ok) {
    throw new AppError('conflict', `Segment "${seg.name}" no longer fits the workspace's fields: ${result.issues[0]?.path}: ${result.issues[0]?.message}`, {
      path: 'segmentId',
      issues: result.issues,
    });
  }
  return result.filter;
}
