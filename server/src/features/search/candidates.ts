import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { placeholders, stmt } from '../../lib/sql.ts';
import { fts5, type SearchExpr } from './fts-query.ts';
import { foldForSearch } from './normalize.ts';
import { matchNewestPg } from './pg.ts';

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
 * contacts in one country took 200-600 ms at a million contacts, 35 ms with this bound. Beyond
 * it results are partial and reported as such.
 */
export const SCAN = 10_000;

/**
 * The contacts of `ids` that are in the workspace and satisfy `where`, in the order of `ids`:
 * one primary-key lookup an id. `+c.workspaceId` keeps the workspace's indexes out of the plan:
 * SQLite otherwise walked all its contacts to meet a list of a thousand ids. The list is padded
 * to a power of two (repeating an id), so lists of every length share a few prepared statements.
 */
export async function loadCandidates(sql: Sql, ids: number[], workspaceId: number, where?: SqlWhere): Promise<Candidate[]> {
  if (!ids.length) return [];
  const padded = [...ids];
  while (padded.length & (padded.length - 1)) padded.push(ids[0]!);
  const rows = await sql.all<Candidate>(
    `SELECT ${COLUMNS} FROM Contact c WHERE c.id IN (${placeholders(padded.length)}) AND +c.workspaceId = ?${extra(where)}`,
    [...padded, workspaceId, ...extraParams(where)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Rows found, and whether more may match (the limit or the SCAN bound was reached). */
export interface Found {
  rows: Candidate[];
  more: boolean;
}

/**
 * Contacts whose index entry matches an FTS5 expression, at most `limit`, among the newest
 * `scan` entries. The index drives as a co-routine (rowid order is native to FTS5, so the LIMIT stops
 * the scan early); each hit is checked against the workspace and the extra condition through
 * the primary key. CROSS JOIN pins that order: with a tag condition the planner preferred to
 * walk the workspace's contacts and probe the index (0.3-1 s instead of 10-70 ms).
 *
 * An entry with no more than `limit` hits (a full name, an address) is read once, whole, first:
 * the plan above would find fewer than `limit` contacts and read the postings a second time to
 * count them, which was 80-90 % of such an entry's 6-27 ms at a million contacts.
 */
export async function matchNewest(db: Db, search: SearchExpr, workspaceId: number, limit: number, where?: SqlWhere, scan = SCAN): Promise<Found> {
  if (db.kind === 'postgres') return matchNewestPg(db.sql, search, workspaceId, limit, where);
  // The FTS5 index is SQLite's: its queries run on the connection itself.
  const conn = db.conn;
  const expr = fts5(search);
  const few = Math.min(limit, scan);
  const ids = stmt(conn, 'SELECT rowid FROM ContactSearch WHERE ContactSearch MATCH ? ORDER BY rowid DESC LIMIT ?').pluck().all(expr, few + 1) as number[];
  if (ids.length <= few) {
    const rows = await loadCandidates(db.sql, ids, workspaceId, where);
    return { rows, more: rows.length >= limit };
  }
  const rows = stmt(
    conn,
    `SELECT ${COLUMNS} FROM (SELECT rowid AS id FROM ContactSearch WHERE ContactSearch MATCH ? ORDER BY rowid DESC LIMIT ?) s
      CROSS JOIN Contact c ON c.id = s.id
      WHERE c.workspaceId = ?${extra(where)} LIMIT ?`,
  ).all(expr, scan, workspaceId, ...extraParams(where), limit) as Candidate[];
  if (rows.length >= limit) return { rows, more: true };
  // Fewer than asked: complete unless the scan stopped at its bound.
  const hits = stmt(conn, 'SELECT count(*) FROM (SELECT 1 FROM ContactSearch WHERE ContactSearch MATCH ? LIMIT ?)')
    .pluck()
    .get(expr, scan + 1) as number;
  return { rows, more: hits > scan };
}

/** SQLite compares text as UTF-8 bytes; U+10FFFF sorts after every character. */
const upperBound = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * Index entries examined per column for a one- or two-letter entry. Such an entry only browses
 * ("ma" starts 8 % of the demo names), so a small bound keeps it fast within a narrow filter.
 */
const PREFIX_SCAN = 2_000;

/**
 * Entries too short for a trigram: contacts whose name, e-mail or phone starts with `prefix`,
 * each a range scan of its (workspaceId, column) index, at most PREFIX_SCAN entries, pinned as
 * the outer loop like the index scans above. Names first, in name order.
 */
export async function matchPrefix(sql: Sql, prefix: string, workspaceId: number, limit: number, where?: SqlWhere): Promise<Found> {
  const seen = new Map<number, Candidate>();
  let more = false;
  const scans: [column: 'nameKey' | 'email' | 'phone', start: string][] = [['nameKey', prefix], ['email', prefix]];
  if (/^\d+$/.test(prefix)) scans.push(['phone', `+${prefix}`]);
  for (const [column, start] of scans) {
    const range = `FROM Contact WHERE workspaceId = ? AND ${column} >= ? AND ${column} < ?`;
    // The join condition is in WHERE: PostgreSQL takes no ON after CROSS JOIN, and SQLite keeps
    // the scan as the outer loop either way.
    const rows = await sql.all<Candidate>(
      `SELECT ${COLUMNS} FROM (SELECT id ${range} ORDER BY ${column}, id LIMIT ${PREFIX_SCAN}) s
        CROSS JOIN Contact c WHERE c.id = s.id${extra(where)} LIMIT ?`,
      [workspaceId, start, upperBound(start), ...extraParams(where), limit],
    );
    for (const row of rows) if (!seen.has(row.id)) seen.set(row.id, row);
    if (rows.length < limit) {
      const hits = await sql.value<number>(`SELECT count(*) FROM (SELECT 1 ${range} LIMIT ${PREFIX_SCAN + 1}) h`, [workspaceId, start, upperBound(start)]);
      more ||= hits! > PREFIX_SCAN;
    }
    if (seen.size >= limit) return { rows: [...seen.values()].slice(0, limit), more: true };
  }
  return { rows: [...seen.values()], more };
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
