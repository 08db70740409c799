// Builds what the trigram index is asked: an AND of ORs of substrings (`SearchExpr`), written as
// an FTS5 MATCH expression on SQLite (tokenize='trigram': a quoted string of >= 3 characters
// matches wherever it occurs as a substring) and as trigram-indexed LIKEs on PostgreSQL
// (search/pg.ts). Shorter strings match nothing and are left out.

/** Every group must match; a group matches when one of its substrings occurs. */
export interface SearchExpr {
  groups: string[][];
  /** Only this column (digits in the phone number); name, e-mail and phone otherwise. */
  column?: 'phone';
}

/** Below this many characters a string has no trigram and cannot use the index. */
export const MIN_GRAM = 3;

const chars = (s: string) => Array.from(s);
const long = (s: string) => chars(s).length >= MIN_GRAM;

/** A quoted FTS5 string: no operator or column name inside it is interpreted. */
export function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** The FTS5 MATCH text of an expression. */
export function fts5(expr: SearchExpr): string {
  const groups = expr.groups.map((g) => (g.length === 1 ? quote(g[0]!) : `(${g.map(quote).join(' OR ')})`)).join(' AND ');
  return expr.column ? `${expr.column} : ${groups}` : groups;
}

/**
 * OR of substrings. One that contains another adds no match ("maria" when "mari" is there) but
 * costs its postings, so it is left out.
 */
function any(parts: Iterable<string>): string[] {
  const list = [...new Set(parts)].filter(long);
  return list.filter((p) => !list.some((q) => q !== p && p.includes(q)));
}

/**
 * Every word as a substring, in any column and any order ("smith john" finds "john smith").
 * Words shorter than three characters are left to the ranking; when no word is long enough the
 * whole text is used ("jo li" -> "jo li"). Null when nothing can use the index.
 */
export function exactExpr(words: string[], text: string): SearchExpr | null {
  const usable = words.map(indexedPart).filter(long);
  if (usable.length > 0) return { groups: usable.map((w) => [w]) };
  return long(text) ? { groups: [[text]] } : null;
}

/**
 * What of a word the index looks up. An address's domain is left out when the part before it
 * is long enough: its trigrams ("gma", ".co") are in half the contacts and reading their
 * postings made a pasted address cost 15-25 ms instead of 3 at a million contacts. Callers
 * check the whole word against the rows found (see `containsAll`).
 */
export function indexedPart(word: string): string {
  const at = word.indexOf('@');
  return at >= MIN_GRAM && at < word.length - 1 ? word.slice(0, at + 1) : word;
}

/** Digits as a substring of the phone column only, so they do not match numbers in e-mails. */
export function phoneExpr(digits: string): SearchExpr | null {
  return long(digits) ? { groups: [[digits]], column: 'phone' } : null;
}

/**
 * Substrings that a word with one typo still shares with the intended value. A single edit
 * (wrong, missing, extra letter) leaves one half of a word intact, so words of six letters or
 * more use their halves, plus the word with the letters either side of the middle swapped (a
 * swap there breaks both halves). Thirds would also survive two typos but are short and common:
 * at a million contacts they found no more intended contacts and cost 40 % more time. Shorter
 * words have halves too short for a trigram; they use their one-letter deletions (an extra
 * letter: "jonhn" -> "john"), adjacent swaps ("jonh" -> "john") and, for four or five letters,
 * their first and last three (an edit away from the middle: "xaver" -> "xav" of "xavier").
 */
export function typoVariants(word: string): string[] {
  const c = chars(word);
  const n = c.length;
  if (n < MIN_GRAM) return [];
  const out = [word];
  const swap = (i: number) => [...c.slice(0, i), c[i + 1], c[i], ...c.slice(i + 2)].join('');
  if (n >= 2 * MIN_GRAM) {
    const h = Math.floor(n / 2);
    out.push(c.slice(0, h).join(''), c.slice(h).join(''), swap(h - 1));
  } else {
    if (n > MIN_GRAM) {
      for (let i = 0; i < n; i++) out.push([...c.slice(0, i), ...c.slice(i + 1)].join(''));
      out.push(c.slice(0, MIN_GRAM).join(''), c.slice(n - MIN_GRAM).join(''));
    }
    for (let i = 0; i + 1 < n; i++) out.push(swap(i));
  }
  return out;
}

/**
 * Each word, or a one-typo variant of it, as a substring: AND over words, OR over variants.
 * Of an e-mail only the local part is varied: a half like "@gmail.com" would match half the
 * contacts and crowd out the intended one.
 */
export function typoExpr(words: string[]): SearchExpr | null {
  const groups = words
    .map((w) => (w.includes('@') ? w.slice(0, w.indexOf('@')) : w))
    .filter(long)
    .map((w) => any(typoVariants(w)));
  return groups.length > 0 ? { groups } : null;
}

/** The distinct trigrams of the words (not across the space between them). */
export function trigrams(words: string[]): string[] {
  const grams = new Set<string>();
  for (const w of words) {
    const c = chars(w);
    for (let i = 0; i + MIN_GRAM <= c.length; i++) grams.add(c.slice(i, i + MIN_GRAM).join(''));
  }
  return [...grams];
}
