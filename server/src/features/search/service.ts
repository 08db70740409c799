import type { Db } from '../../db/client.ts';
import { countMatches, matchBest, matchNewest, matchPrefix, type Candidate, type SqlWhere } from './candidates.ts';
import { exactExpr, phoneExpr, trigramExpr, typoExpr } from './fts-query.ts';
import { normalizeQuery } from './normalize.ts';
import { rankCandidates } from './rank.ts';

export type { SqlWhere } from './candidates.ts';

export interface SearchOptions {
  /** Ids to return. */
  limit: number;
  /** An extra condition over the contact alias `c` that results must also satisfy. */
  where?: SqlWhere;
}

export interface SearchResult {
  /** Best match first, at most `limit`. */
  ids: number[];
  /** How many contacts match; a lower bound when `exact` is false ("1,000+"). */
  total: number;
  exact: boolean;
}

/**
 * Candidates handed to Fuse per step. Fuse costs about 10 µs a candidate; a few hundred keeps
 * ranking to a few ms while leaving room for the intended contact among namesakes.
 */
export const CANDIDATES = 300;
/** Matches counted at most, when more match than were ranked. */
export const COUNT_CAP = 1_000;

/**
 * Contact search over name, e-mail and phone. The trigram index narrows the candidates in
 * widening steps, each run only while the previous ones found fewer than `limit`: the words as
 * substrings, then with one typo per word, then any shared trigram ranked by bm25. Fuse ranks
 * what they found. Phone-like entries match their digits inside the phone number; entries
 * shorter than a trigram match prefixes of name, e-mail and phone through ordinary indexes.
 */
export async function searchContacts(db: Db, workspaceId: number, q: string, opts: SearchOptions): Promise<SearchResult> {
  const query = normalizeQuery(q);
  const limit = Math.max(0, Math.floor(opts.limit));
  const { where } = opts;
  const conn = db.conn;
  if (query.text === '') return { ids: [], total: 0, exact: true };

  const main = query.digits !== null ? phoneExpr(query.digits) : exactExpr(query.words, query.text);
  if (main === null) {
    // DATA.md's fold without removing accents: the prefix is compared with stored nameKeys.
    const prefix = q.toLowerCase().replace(/\s+/g, ' ').trim();
    const found = matchPrefix(conn, prefix, workspaceId, CANDIDATES, where);
    return { ids: found.slice(0, limit).map((c) => c.id), total: found.length, exact: found.length < CANDIDATES };
  }

  const candidates = new Map<number, Candidate>();
  const add = (rows: Candidate[]) => {
    for (const row of rows) candidates.set(row.id, row);
    return rows.length >= CANDIDATES;
  };
  const saturated = add(matchNewest(conn, main, workspaceId, CANDIDATES, where));
  let capped = saturated;
  if (query.digits === null && candidates.size < limit) {
    const typo = typoExpr(query.words);
    if (typo !== null) capped = add(matchNewest(conn, typo, workspaceId, CANDIDATES, where)) || capped;
    const grams = trigramExpr(query.words);
    if (grams !== null && candidates.size < limit) {
      capped = add(matchBest(conn, grams, workspaceId, CANDIDATES, where)) || capped;
    }
  }

  const ranked = rankCandidates([...candidates.values()], query);
  let total = ranked.length;
  let exact = !capped;
  if (saturated) {
    // Every one of the substring matches would be accepted by Fuse, so count those.
    const count = countMatches(conn, main, workspaceId, COUNT_CAP, where);
    total = Math.max(total, count);
    exact = count < COUNT_CAP;
  }
  return { ids: ranked.slice(0, limit), total, exact };
}
