import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import { containsAll, matchNewest, matchPrefix, type Candidate, type SqlWhere } from './candidates.ts';
import { exactExpr, indexedPart, phoneExpr, trigrams, typoExpr } from './fts-query.ts';
import { normalizeQuery, type NormalizedQuery } from './normalize.ts';
import { matchOverlap } from './overlap.ts';
import { preRank, rankCandidates } from './rank.ts';

export type { SqlWhere } from './candidates.ts';

export interface SearchOptions {
  /** Ids to return, at most CANDIDATES. */
  limit: number;
  /** An extra condition over the contact alias `c` that results must also satisfy. */
  where?: SqlWhere;
}

export interface SearchResult {
  /** Best match first, at most `limit`. */
  ids: number[];
  /** How many contacts match; a lower bound when `exact` is false ("2,000+"). */
  total: number;
  exact: boolean;
}

/**
 * Candidates handed to Fuse per step. Fuse costs about 10 µs a candidate; a few hundred keeps
 * ranking to a few ms while leaving room for the intended contact among namesakes.
 */
export const CANDIDATES = 200;
/** Rows read from the index per step; beyond that `total` is a lower bound. */
export const WIDE = 1_000;

/**
 * Contact search over name, e-mail and phone. The trigram index narrows the candidates and
 * Fuse ranks them. Phone-like entries match their digits inside the phone number; entries
 * shorter than a trigram match prefixes of name, e-mail and phone through ordinary indexes.
 */
export async function searchContacts(db: Db, workspaceId: number, q: string, opts: SearchOptions): Promise<SearchResult> {
  const query = normalizeQuery(q);
  const limit = Math.min(CANDIDATES, Math.max(0, Math.floor(opts.limit)));
  const { where } = opts;
  if (query.text === '') return { ids: [], total: 0, exact: true };

  const expr = query.digits !== null ? phoneExpr(query.digits) : exactExpr(query.words, query.text);
  if (expr === null) {
    // DATA.md's fold without removing accents: the prefix is compared with stored nameKeys.
    const prefix = q.toLowerCase().replace(/\s+/g, ' ').trim();
    const found = matchPrefix(db.conn, prefix, workspaceId, CANDIDATES, where);
    return { ids: found.slice(0, limit).map((c) => c.id), total: found.length, exact: found.length < CANDIDATES };
  }
  const found = query.digits !== null
    ? gatherPhone(db.conn, expr, workspaceId, where)
    : gatherText(db.conn, query, expr, workspaceId, limit, where);
  const ranked = rankCandidates(found.pool, query);
  // Fuse accepts every substring match, also those beyond the CANDIDATES it ranked.
  return { ids: ranked.slice(0, limit), total: Math.max(ranked.length, found.matches), exact: !found.capped };
}

interface Gathered {
  /** At most CANDIDATES, likeliest first. */
  pool: Candidate[];
  /** Contacts containing the whole entry. */
  matches: number;
  /** Whether some step stopped at its row limit (so more may match). */
  capped: boolean;
}

function gatherPhone(conn: Database.Database, expr: string, workspaceId: number, where?: SqlWhere): Gathered {
  const rows = matchNewest(conn, expr, workspaceId, WIDE, where);
  return { pool: rows.slice(0, CANDIDATES), matches: rows.length, capped: rows.length >= WIDE };
}

/**
 * Contacts containing every word; while those are fewer than `limit`, also those containing
 * every word with one typo, and those sharing the most rare trigrams (several typos). Each step
 * reads up to WIDE rows, cut to CANDIDATES by shared trigrams: among the thousands containing
 * "art" and "feil", or a typo variant like "tre", newest first is no order.
 */
function gatherText(
  conn: Database.Database, query: NormalizedQuery, expr: string, workspaceId: number, limit: number, where?: SqlWhere,
): Gathered {
  const found = matchNewest(conn, expr, workspaceId, WIDE, where);
  let capped = found.length >= WIDE;
  const whole = query.words.some((w) => indexedPart(w) !== w) ? containsAll(found, query.words) : found;
  const pool = preRank(whole, query.text, CANDIDATES);
  if (whole.length >= limit) return { pool, matches: whole.length, capped };

  const seen = new Set(whole.map((c) => c.id));
  const near: Candidate[] = [];
  const add = (rows: Candidate[], cap: number) => {
    capped ||= rows.length >= cap;
    for (const row of rows) if (!seen.has(row.id)) near.push(row), seen.add(row.id);
  };
  const typo = typoExpr(query.words);
  if (typo !== null) add(matchNewest(conn, typo, workspaceId, WIDE, where), WIDE);
  add(matchOverlap(conn, trigrams(query.words), workspaceId, CANDIDATES, where), CANDIDATES);
  return { pool: [...pool, ...preRank(near, query.text, CANDIDATES - pool.length)], matches: whole.length, capped };
}
