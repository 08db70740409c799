import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Candidate } from './candidates.ts';
import { trigrams } from './fts-query.ts';
import { foldForSearch } from './normalize.ts';

interface Doc {
  id: number;
  /** Name and e-mail in one field (see textOptions). */
  text: string;
  /** E.164 without the '+', what phone queries are compared with. */
  phone: string;
}

/**
 * Token search scores each query word on its own (any order, each fuzzy by Bitap) and weighs
 * the words by how rare they are among the candidates, so in "cecilia godinez robledo" the
 * first name decides between the Godínez Robledos. Name and e-mail form one field: with a key
 * each, Fuse multiplies the keys' scores, and contacts whose address repeats their name beat
 * the contact whose name matches better. ignoreLocation: a match late in the text counts fully.
 */
const textOptions: IFuseOptions<Doc> = {
  keys: ['text'],
  includeScore: true,
  ignoreLocation: true,
  ignoreDiacritics: true,
  threshold: 0.4,
  useTokenSearch: true,
  // Words as people type them in names and addresses: letters, digits and the joiners of an
  // e-mail, so "john.smith@gmail" stays one word to compare.
  tokenize: /[\p{L}\p{M}\p{N}_.@+'-]+/gu,
};

const phoneOptions: IFuseOptions<Doc> = {
  keys: ['phone'],
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.2,
};

const toDoc = (c: Candidate): Doc => ({
  id: c.id,
  text: c.email ? `${c.nameKey} ${c.email}` : c.nameKey,
  phone: c.phone?.replace(/\D/g, '') ?? '',
});

/** Candidates that Fuse accepts, best first; ties keep the candidates' order. */
export function rankCandidates(candidates: Candidate[], query: { text: string; digits: string | null }): number[] {
  if (candidates.length === 0) return [];
  const docs = candidates.map(toDoc);
  if (query.digits !== null) {
    return new Fuse(docs, phoneOptions).search(query.digits).map((r) => r.item.id);
  }
  return new Fuse(docs, textOptions).search(query.text).map((r) => r.item.id);
}

/**
 * The `keep` candidates sharing the most of the query's trigrams, best first, in a µs or two
 * each: Fuse (tens of µs each) then sees the likely ones among the thousands a common word or a
 * typo variant matched, and keeps this order among equal scores. The texts are padded with
 * spaces so that edge trigrams (" ar", "rt ") put "art feil" before "stuart feil".
 */
export function preRank(candidates: Candidate[], text: string, keep: number): Candidate[] {
  const grams = trigrams([` ${text} `]);
  const scored = candidates.map((c, i) => {
    // nameKey and email are stored folded already; only accents remain to strip.
    const hay = foldForSearch(` ${c.nameKey} ${c.email ?? ''} `);
    let shared = 0;
    for (const g of grams) if (hay.includes(g)) shared++;
    return { c, shared, i };
  });
  scored.sort((a, b) => b.shared - a.shared || a.i - b.i);
  return scored.slice(0, keep).map((s) => s.c);
}
