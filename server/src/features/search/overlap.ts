import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { loadCandidates, type Candidate, type Found, type SqlWhere } from './candidates.ts';
import { quote } from './fts-query.ts';
import { postingsPg } from './pg.ts';

/**
 * A trigram found in more contacts than this says little about which one is meant ("mar",
 * "com") and would cost a long posting list, so it is left out. At a million contacts that is
 * 0.4 %; in a small workspace every trigram counts.
 */
export const COMMON_TRIGRAM = 4_000;
/** Scored ids checked against the workspace and the extra condition per statement. */
const BATCH = 500;
/** Scored ids checked at most: a narrow filter must not make this step walk all of them. */
const CHECKED = 2_000;

/**
 * Trigrams seen to be common, per connection, so later queries skip reading their postings
 * (most of this step's cost at a million contacts). Forgotten after a while: the data changes.
 */
const commonSeen = new WeakMap<object, Map<string, number>>();
const REMEMBER_MS = 10 * 60_000;
const REMEMBER_MAX = 50_000;

function commonMemory(conn: object): Map<string, number> {
  let seen = commonSeen.get(conn);
  if (!seen) commonSeen.set(conn, (seen = new Map()));
  if (seen.size > REMEMBER_MAX) seen.clear();
  return seen;
}

/**
 * The widest net, for entries with several typos: contacts sharing the most (and rarest) of the
 * query's trigrams. Each trigram's posting list is read up to COMMON_TRIGRAM entries and the
 * overlap is counted here, which costs a few ms where bm25 over an FTS5 OR query cost tens to
 * hundreds at a million contacts (it scores every hit of every common trigram).
 */
export async function matchOverlap(db: Db, grams: string[], workspaceId: number, limit: number, where?: SqlWhere): Promise<Found> {
  const postings = postingsOf(db);
  const common = commonMemory(db.kind === 'sqlite' ? db.conn : db);
  const now = Date.now();
  const scores = new Map<number, number>();
  for (const gram of grams) {
    if ((common.get(gram) ?? 0) > now) continue;
    const ids = await postings(gram, COMMON_TRIGRAM + 1);
    if (ids.length > COMMON_TRIGRAM) common.set(gram, now + REMEMBER_MS);
    if (ids.length === 0 || ids.length > COMMON_TRIGRAM) continue;
    // Rarer trigrams weigh more, as in IDF.
    const weight = Math.log((2 * COMMON_TRIGRAM) / ids.length);
    for (const id of ids) scores.set(id, (scores.get(id) ?? 0) + weight);
  }
  const ranked = [...scores].sort((a, b) => b[1] - a[1] || b[0] - a[0]).map(([id]) => id);

  const out: Candidate[] = [];
  let i = 0;
  for (; i < Math.min(ranked.length, CHECKED) && out.length < limit; i += BATCH) {
    for (const row of await loadCandidates(db.sql, ranked.slice(i, i + BATCH), workspaceId, where)) {
      if (out.length < limit) out.push(row);
    }
  }
  return { rows: out, more: out.length >= limit || i < ranked.length };
}

/** A trigram's posting list: FTS5's on SQLite (read on the connection itself), pg_trgm's on PostgreSQL. */
function postingsOf(db: Db): (gram: string, limit: number) => Promise<number[]> {
  if (db.kind === 'postgres') return (gram, limit) => postingsPg(db.sql, gram, limit);
  const s = stmt(db.conn, 'SELECT rowid FROM ContactSearch WHERE ContactSearch MATCH ? LIMIT ?').pluck();
  return async (gram, limit) => s.all(quote(gram), limit) as number[];
}
