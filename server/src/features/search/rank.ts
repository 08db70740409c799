import Fuse, { type IFuseOptions } from 'fuse.js';
import type { Candidate } from './candidates.ts';

interface Doc {
  id: number;
  name: string;
  email: string;
  /** E.164 without the '+', what phone queries are compared with. */
  phone: string;
}

/**
 * Token search scores each query word on its own (any order, IDF-weighted over the candidates,
 * each word fuzzy by Bitap), so "smith jonh" ranks "John Smith" first. ignoreLocation: a match
 * late in an e-mail counts as much as one at the start.
 */
const textOptions: IFuseOptions<Doc> = {
  keys: [
    { name: 'name', weight: 2 },
    { name: 'email', weight: 1 },
  ],
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
  name: c.nameKey,
  email: c.email ?? '',
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
