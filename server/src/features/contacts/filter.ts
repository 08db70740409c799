import { validateFilter, type Filter, type ValidationIssue } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { AppError, notFound, validation } from '../../lib/errors.ts';
import { compileFilter, type SubqueryForm } from '../filter/compile.ts';
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
 * A list's filter compiled twice (compile.ts, SubqueryForm): `drive` lets SQLite start from the
 * id lists of the matching values; `probe`, set only when the tree has custom-field or set
 * conditions, checks contacts one by one as a sort index yields them.
 */
export interface ListFilter {
  drive: SqlWhere;
  probe?: SqlWhere;
}

export function toSql(filter: Filter, workspaceId: number, catalogue: Catalogue, now = Date.now(), form: SubqueryForm = 'list'): SqlWhere & { subqueries: number } {
  const { where, params, subqueries } = compileFilter(filter, { workspaceId, fields: catalogue.compile, now, form });
  return { sql: where, params, subqueries };
}

/** Both forms of the AND of the given trees (undefined when there are none). */
export function toListFilter(filters: Filter[], workspaceId: number, catalogue: Catalogue, now = Date.now()): ListFilter | undefined {
  if (!filters.length) return undefined;
  const both = (form: SubqueryForm) => {
    const parts = filters.map((f) => toSql(f, workspaceId, catalogue, now, form));
    const sql = parts.length === 1 ? parts[0]!.sql : parts.map((p) => `(${p.sql})`).join(' AND ');
    return { sql, params: parts.flatMap((p) => p.params), subqueries: parts.reduce((n, p) => n + p.subqueries, 0) };
  };
  const drive = both('drive');
  if (!drive.subqueries) return { drive: { sql: drive.sql, params: drive.params } };
  const probe = both('probe');
  return { drive: { sql: drive.sql, params: drive.params }, probe: { sql: probe.sql, params: probe.params } };
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
export function segmentFilter(db: Db, workspaceId: number, segmentId: number, catalogue: Catalogue): Filter {
  const seg = db.conn
    .prepare('SELECT id, name, filter FROM Segment WHERE id = ? AND workspaceId = ?')
    .safeIntegers(false)
    .get(segmentId, workspaceId) as SegmentRow | undefined;
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
