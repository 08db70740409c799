import type Database from 'better-sqlite3';
import { stmt } from '../../lib/sql.ts';
import { foldForSearch } from './normalize.ts';

/** What the ranking needs of a contact. */
export interface Candidate {
  id: number;
  nameKey: string;
  email: string | null;
  phone: string | null;
}

/** An extra condition over the contact alias `c`, with its parameters (from the filter compiler). */
export interface SqlWhere {
  sql: string;
  params: (string | number)[];
}

const COLUMNS = 'c.id, c.nameKey, c.email, c.phone';
const extra = (where?: SqlWhere) => (where ? ` AND (${where.sql})` : '');
const extraParams = (where?: SqlWhere) => where?.params ?? [];

/**
 * Contacts whose index entry matches an FTS5 expression, newest first, at most `limit`.
 * The index drives (rowid order is native to FTS5, so LIMIT stops the scan early); each hit is
 * checked against the workspace and the extra condition through the primary key.
 */
export function matchNewest(conn: Database.Database, expr: string, workspaceId: number, limit: number, where?: SqlWhere): Candidate[] {
  return stmt(
    conn,
    `SELECT ${COLUMNS} FROM ContactSearch JOIN Contact c ON c.id = ContactSearch.rowid
      WHERE ContactSearch MATCH ? AND c.workspaceId = ?${extra(where)}
      ORDER BY ContactSearch.rowid DESC LIMIT ?`,
  ).all(expr, workspaceId, ...extraParams(where), limit) as Candidate[];
}

/** SQLite compares text as UTF-8 bytes; U+10FFFF sorts after every character. */
const upperBound = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * Entries too short for a trigram: contacts whose name, e-mail or phone starts with `prefix`,
 * each through its (workspaceId, column) index as a range scan. Names first, in name order.
 */
export function matchPrefix(conn: Database.Database, prefix: string, workspaceId: number, limit: number, where?: SqlWhere): Candidate[] {
  const seen = new Map<number, Candidate>();
  const scans: [column: 'nameKey' | 'email' | 'phone', start: string][] = [['nameKey', prefix], ['email', prefix]];
  if (/^\d+$/.test(prefix)) scans.push(['phone', `+${prefix}`]);
  for (const [column, start] of scans) {
    if (seen.size >= limit) break;
    const rows = stmt(
      conn,
      `SELECT ${COLUMNS} FROM Contact c
        WHERE c.workspaceId = ? AND c.${column} >= ? AND c.${column} < ?${extra(where)}
        ORDER BY c.${column}, c.id LIMIT ?`,
    ).all(workspaceId, start, upperBound(start), ...extraParams(where), limit) as Candidate[];
    for (const row of rows) if (seen.size < limit && !seen.has(row.id)) seen.set(row.id, row);
  }
  return [...seen.values()];
}

/**
 * The rows in which every word occurs whole in one field, as the index would have matched them
 * (for words the index looked up only in part, see `indexedPart`).
 */
export function containsAll(rows: Candidate[], words: string[]): Candidate[] {
  return rows.filter((c) => {
    const fields = [c.nameKey, c.email ?? '', c.phone ?? ''].map(foldForSearch);
    return words.every((w) => fields.some((f) => f.includes(w)));
  });
}
