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
 * Index entries examined per expression at most. Without it a common word within a narrow
 * filter (or a small workspace of a large database) checks every hit: "maria" among the 1 % of
 * contacts in one country took 200-600 ms at a million contacts. Beyond it results are partial
 * and reported as such.
 */
export const SCAN = 20_000;

/** Rows found, and whether more may match (the limit or the SCAN bound was reached). */
export interface Found {
  rows: Candidate[];
  more: boolean;
}

/**
 * Contacts whose index entry matches an FTS5 expression, at most `limit`, among the newest SCAN
 * entries. The index drives as a co-routine (rowid order is native to FTS5, so the LIMIT stops
 * the scan early); each hit is checked against the workspace and the extra condition through
 * the primary key.
 */
export function matchNewest(conn: Database.Database, expr: string, workspaceId: number, limit: number, where?: SqlWhere): Found {
  const rows = stmt(
    conn,
    `SELECT ${COLUMNS} FROM (SELECT rowid AS id FROM ContactSearch WHERE ContactSearch MATCH ? ORDER BY rowid DESC LIMIT ${SCAN}) s
      JOIN Contact c ON c.id = s.id
      WHERE c.workspaceId = ?${extra(where)} LIMIT ?`,
  ).all(expr, workspaceId, ...extraParams(where), limit) as Candidate[];
  if (rows.length >= limit) return { rows, more: true };
  // Fewer than asked: complete unless the scan stopped at its bound.
  const hits = stmt(conn, `SELECT count(*) FROM (SELECT 1 FROM ContactSearch WHERE ContactSearch MATCH ? LIMIT ${SCAN + 1})`)
    .pluck()
    .get(expr) as number;
  return { rows, more: hits > SCAN };
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
