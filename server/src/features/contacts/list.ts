import type { ContactCount, ContactList, ContactSort } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { searchContacts } from '../search/service.ts';
import { decodeCursor, encodeCursor, sortSpecs, type Cursor } from './cursor.ts';
import { parseFilterParam, segmentFilter, toSql, type SqlWhere } from './filter.ts';
import { CONTACT_COLUMNS, serializeContacts, type ContactRow } from './serialize.ts';

/** Counts are exact up to this many; above it the list says "10,000+" without counting a million rows. */
export const COUNT_CAP = 10_000;

export interface ListParams {
  filter?: string;
  segmentId?: number;
  q?: string;
  sort: ContactSort;
  cursor?: string;
  limit: number;
}

/** The combined WHERE of `filter` and `segmentId` (both apply when both are given). */
export function listWhere(db: Db, workspaceId: number, params: Pick<ListParams, 'filter' | 'segmentId'>, catalogue = loadCatalogue(db, workspaceId)): SqlWhere | undefined {
  const parts: SqlWhere[] = [];
  if (params.segmentId !== undefined) parts.push(toSql(segmentFilter(db, workspaceId, params.segmentId, catalogue), workspaceId, catalogue));
  if (params.filter) parts.push(toSql(parseFilterParam(params.filter, catalogue), workspaceId, catalogue));
  if (!parts.length) return undefined;
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND '), params: parts.flatMap((p) => p.params) };
}

export function countContacts(db: Db, workspaceId: number, where: SqlWhere | undefined): ContactCount {
  const sql = `SELECT count(*) AS n FROM (SELECT 1 FROM Contact c WHERE c.workspaceId = ?${where ? ` AND (${where.sql})` : ''} LIMIT ${COUNT_CAP + 1})`;
  const n = (stmt(db.conn, sql).get(workspaceId, ...(where?.params ?? [])) as { n: number }).n;
  return n > COUNT_CAP ? { value: COUNT_CAP, exact: false } : { value: n, exact: true };
}

function pageRows(db: Db, workspaceId: number, where: SqlWhere | undefined, sort: ContactSort, cursor: Cursor | undefined, limit: number) {
  const spec = sortSpecs[sort];
  const col = `c.${spec.column}`;
  const cmp = spec.dir === 'DESC' ? '<' : '>';
  const base = `SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.workspaceId = ?${where ? ` AND (${where.sql})` : ''}`;
  const baseParams = [workspaceId, ...(where?.params ?? [])];
  const rows: ContactRow[] = [];

  const [hasValue, noValue] = spec.empty === 'null' ? [`${col} IS NOT NULL`, `${col} IS NULL`] : [`${col} > ''`, `${col} = ''`];

  if (!cursor || cursor.phase === 0) {
    const after = cursor ? ` AND (${col}, c.id) ${cmp} (?, ?)` : '';
    const sql = `${base} AND ${hasValue}${after} ORDER BY ${col} ${spec.dir}, c.id ${spec.dir} LIMIT ?`;
    rows.push(...(stmt(db.conn, sql).all(...baseParams, ...(cursor ? [cursor.value, cursor.id] : []), limit + 1) as ContactRow[]));
  }
  if (rows.length <= limit) {
    const after = cursor?.phase === 1 ? ` AND c.id ${cmp} ?` : '';
    const sql = `${base} AND ${noValue}${after} ORDER BY c.id ${spec.dir} LIMIT ?`;
    const more = stmt(db.conn, sql).all(...baseParams, ...(cursor?.phase === 1 ? [cursor.id] : []), limit + 1 - rows.length) as ContactRow[];
    rows.push(...more);
  }
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  let next: string | null = null;
  if (rows.length > limit && last) {
    const value = (last as unknown as Record<string, string | number | null>)[spec.column] ?? null;
    const empty = value === null || value === '';
    next = encodeCursor({ sort, phase: empty ? 1 : 0, value: empty ? null : value, id: last.id });
  }
  return { page, next };
}

export async function listContacts(db: Db, workspaceId: number, params: ListParams): Promise<ContactList> {
  const catalogue = loadCatalogue(db, workspaceId);
  const where = listWhere(db, workspaceId, params, catalogue);

  if (params.q) {
    // A search answers with its best matches by relevance, one page, no cursor.
    const found = await searchContacts(db, workspaceId, params.q, { limit: params.limit, where });
    const byId = new Map<number, ContactRow>();
    if (found.ids.length) {
      const rows = stmt(db.conn, `SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.id IN (SELECT value FROM json_each(?))`).all(
        JSON.stringify(found.ids),
      ) as ContactRow[];
      rows.forEach((r) => byId.set(r.id, r));
    }
    const ordered = found.ids.map((id) => byId.get(id)).filter((r): r is ContactRow => !!r);
    return {
      items: serializeContacts(db, catalogue, ordered),
      nextCursor: null,
      count: { value: found.total, exact: found.exact },
    };
  }

  const cursor = params.cursor ? decodeCursor(params.cursor, params.sort) : undefined;
  const { page, next } = pageRows(db, workspaceId, where, params.sort, cursor, params.limit);
  return { items: serializeContacts(db, catalogue, page), nextCursor: next, count: countContacts(db, workspaceId, where) };
}
