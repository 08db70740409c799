import type { Db } from '../../db/client.ts';
import { containsAll, matchNewest, matchPrefix, type Candidate, type Found, type SqlWhere } from './candidates.ts';
import { exactExpr, indexedPart, phoneExpr, trigrams, typoExpr, type SearchExpr } from './fts-query.ts';
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
  /**
   * How many contacts match: those containing the whole entry, or if more, all that Fuse
   * accepted among the candidates. A lower bound when `exact` is false ("1,000+").
   */
  total: number;
  exact: boolean;
}

/**
 * Candidates Fuse ranks. It costs 10-30 µs a candidate (token search, several words); 200 keep
 * ranking to a few ms. At a million contacts 300 found no more intended contacts than 200.
 */
export const CANDIDATES = 200;
/**
 * Rows read from the index per step, before pre-ranking; beyond that `total` is a lower bound.
 * Reading 2,000 cost ~40 % more time at a million contacts and found no more intended contacts.
 */
export const WIDE = 1_000;

/**
 * Index entries examined for the typo step (SCAN for the others). Its variants match far more
 * than the words themselves; within a narrow filter reading 10,000 of them cost 20-60 ms.
 */
export const FUZZY_SCAN = 2_500;

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
    const { rows, more } = await matchPrefix(db.sql, prefix, workspaceId, CANDIDATES, where);
    return { ids: rows.slice(0, limit).map((c) => c.id), total: rows.length, exact: !more };
  }
  const found = query.digits !== null
    ? await gatherPhone(db, expr, workspaceId, where)
    : await gatherText(db, query, expr, workspaceId, limit, where);
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

async function gatherPhone(db: Db, expr: SearchExpr, workspaceId: number, where?: SqlWhere): Promise<Gathered> {
  const { rows, more } = await matchNewest(db, expr, workspaceId, WIDE, where);
  return { pool: rows.slice(0, CANDIDATES), matches: rows.length, capped: more };
}

/**
 * Contacts containing every word; while those are fewer than `limit` (and the entry is not an
 * address someone has), also those containing every word with one typo, and those sharing the
 * most rare trigrams (several typos). Each step reads up to WIDE rows, cut to CANDIDATES by
 * shared trigrams: among the thousands containing "art" and "feil", or a typo variant like
 * "tre", newest first is no order.
 */
async function gatherText(
  db: Db, query: NormalizedQuery, expr: SearchExpr, workspaceId: number, limit: number, where?: SqlWhere,
): Promise<Gathered> {
  const found = await matchNewest(db, expr, workspaceId, WIDE, where);
  let capped = found.more;
  const whole = query.words.some((w) => indexedPart(w) !== w) ? containsAll(found.rows, query.words) : found.rows;
  const pool = preRank(whole, query.text, CANDIDATES);
  // A pasted address that a contact has is the one wanted: near misses would only add noise
  // (and half the time of such a search at a million contacts).
  const address = query.words.length === 1 && whole.some((c) => c.email === query.words[0]);
  if (whole.length >= limit || address) return { pool, matches: whole.length, capped };

  const seen = new Set(whole.map((c) => c.id));
  const near: Candidate[] = [];
  const add = ({ rows, more }: Found) => {
    capped ||= more;
    for (const row of rows) if (!seen.has(row.id)) near.push(row), seen.add(row.id);
  };
  const typo = typoExpr(query.words);
  if (typo !== null) add(await matchNewest(db, typo, workspaceId, WIDE, where, FUZZY_SCAN));
  add(await matchOverlap(db, trigrams(query.words), workspaceId, CANDIDATES, where));
  return { pool: [...pool, ...preRank(near, query.text, CANDIDATES - pool.length)], matches: whole.length, capped };
}
