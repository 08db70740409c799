import type { Sql } from '../../db/sql.ts';
import type { Candidate, Found, SqlWhere } from './candidates.ts';
import type { SearchExpr } from './fts-query.ts';

/**
 * The trigram index on PostgreSQL (migration contact_search): a pg_trgm GIN index over
 * Contact.searchText (name, e-mail and phone in the search fold: lower case, accents off, as
 * foldForSearch and FTS5's remove_diacritics) and one over the phone. A substring of three or
 * more characters is a `LIKE '%…%'` that the index answers, as FTS5's trigram MATCH does.
 */

const COLUMNS = 'c.id, c.nameKey, c.email, c.phone';

/** `%s%` with LIKE's own characters taken literally (backslash is PostgreSQL's default escape). */
const like = (s: string) => `%${s.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** The expression as SQL over `c`, with its parameters. */
export function pgMatch(expr: SearchExpr): SqlWhere {
  const params: string[] = [];
  const one = (s: string) => {
    const p = like(s);
    if (expr.column === 'phone') {
      params.push(p);
      return 'c.phone LIKE ?';
    }
    params.push(p);
    return 'c.searchText LIKE ?';
  };
  const sql = expr.groups.map((g) => `(${g.map(one).join(' OR ')})`).join(' AND ');
  return { sql, params };
}

/**
 * Contacts of the workspace matching the expression and `where`, newest first, at most `limit`
 * (SQLite's matchNewest: newest index entries first). PostgreSQL combines the column indexes in
 * one bitmap, so there is no separate scan bound: `more` only says the limit was reached.
 */
export async function matchNewestPg(sql: Sql, expr: SearchExpr, workspaceId: number, limit: number, where?: SqlWhere): Promise<Found> {
  const m = pgMatch(expr);
  const rows = await sql.all<Candidate>(
    `SELECT ${COLUMNS} FROM Contact c WHERE c.workspaceId = ? AND ${m.sql}${where ? ` AND (${where.sql})` : ''} ORDER BY c.id DESC LIMIT ?`,
    [workspaceId, ...m.params, ...(where?.params ?? []), limit],
  );
  return { rows, more: rows.length >= limit };
}

/** Ids of contacts (any workspace, as FTS5 postings) containing the trigram, at most `limit`. */
export function postingsPg(sql: Sql, gram: string, limit: number): Promise<number[]> {
  const m = pgMatch({ groups: [[gram]] });
  return sql.column<number>(`SELECT c.id FROM Contact c WHERE ${m.sql} LIMIT ?`, [...m.params, limit]);
}
