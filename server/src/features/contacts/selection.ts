import type { Sql } from '../../db/sql.ts';
import { AppError, validation } from '../../lib/errors.ts';
import { placeholders } from '../../lib/sql.ts';
import type { Catalogue } from '../catalogue/service.ts';
import { checkFilter, segmentFilter, toSql, type SqlWhere } from './filter.ts';

/** Which contacts an export or bulk action is about (API.md: exactly one of the three). */
export interface Selection {
  filter?: unknown;
  segmentId?: string;
  contactIds?: string[];
}

const keys = ['filter', 'segmentId', 'contactIds'] as const;

/** Rejects a body that names no selection or more than one, naming the offending field. */
export function checkSelection(sel: Selection): void {
  const given = keys.filter((k) => sel[k] !== undefined);
  if (given.length === 1) return;
  if (!given.length) throw validation([{ path: 'filter', message: 'give one of filter, segmentId or contactIds' }]);
  throw validation(given.slice(1).map((k) => ({ path: k, message: `give only one of filter, segmentId or contactIds (${given[0]} is given)` })));
}

/**
 * The selection as a WHERE over the alias `c`, validated like the contacts list: a filter tree
 * against the workspace's fields (issue paths under `filter`), a segment by its saved tree, ids
 * as they are (ids of other workspaces simply match nothing: the caller adds `c.workspaceId`).
 * `now` pins relative dates ("within 7 days") for the whole job.
 */
export async function selectionWhere(sql: Sql, workspaceId: number, sel: Selection, catalogue: Catalogue, now: number): Promise<SqlWhere> {
  checkSelection(sel);
  if (sel.contactIds) {
    // One parameter an id: the API takes at most 10,000, within both databases' limits.
    const ids = [...new Set(sel.contactIds.map(Number))];
    // `IN ()` is SQLite's alone (the API never sends an empty list).
    return ids.length ? { sql: `c.id IN (${placeholders(ids.length)})`, params: ids } : { sql: 'FALSE', params: [] };
  }
  if (sel.segmentId !== undefined) {
    try {
      return toSql(await segmentFilter(sql, workspaceId, Number(sel.segmentId), catalogue), workspaceId, catalogue, now, 'list', sql.dialect);
    } catch (err) {
      // In a body a missing segment is a bad field, not a missing route.
      if (err instanceof AppError && err.code === 'not_found') throw validation([{ path: 'segmentId', message: 'no such segment in this workspace' }]);
      throw err;
    }
  }
  return toSql(checkFilter(sel.filter, catalogue, 'filter'), workspaceId, catalogue, now, 'list', sql.dialect);
}

/** A few words for a job title: "contacts matching a filter", "segment “VIP”", "12 selected contacts". */
export async function describeSelection(sql: Sql, workspaceId: number, sel: Selection): Promise<string> {
  if (sel.contactIds) {
    const n = new Set(sel.contactIds).size;
    return `${n.toLocaleString('en')} selected contact${n === 1 ? '' : 's'}`;
  }
  if (sel.segmentId !== undefined) {
    const name = await sql.value<string>('SELECT name FROM Segment WHERE id = ? AND workspaceId = ?', [Number(sel.segmentId), workspaceId]);
    return `segment “${name ?? sel.segmentId}”`;
  }
  return 'contacts matching a filter';
}

const ID_PAGE = 10_000;

/**
 * Every matching id in ascending order, page by page (each page a range scan after the last
 * id), so a million ids never sit in one result set. Call inside `db.tx()` for a consistent
 * snapshot: the pages then see no write in between.
 */
export async function* matchingIds(sql: Sql, workspaceId: number, where: SqlWhere): AsyncGenerator<number[]> {
  const text = `SELECT c.id FROM Contact c WHERE c.workspaceId = ? AND c.id > ? AND (${where.sql}) ORDER BY c.id LIMIT ${ID_PAGE}`;
  let after = 0;
  for (;;) {
    const ids = await sql.column<number>(text, [workspaceId, after, ...where.params]);
    if (ids.length) yield ids;
    if (ids.length < ID_PAGE) return;
    after = ids.at(-1)!;
  }
}
