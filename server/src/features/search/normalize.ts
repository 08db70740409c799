/** A search box entry reduced to what the index and the ranking compare. */
export interface NormalizedQuery {
  /** Folded, without diacritics, whitespace collapsed: "jose garcia". */
  text: string;
  /** `text` split on whitespace. */
  words: string[];
  /**
   * Set when the entry looks like a phone number: its digits without an international `00` or
   * national trunk `0` prefix, to be found anywhere in the E.164 digits ("06 12 34" -> "61234").
   */
  digits: string | null;
}

const ASCII = /^[\x00-\x7f]*$/;
/** Characters people type inside phone numbers besides digits. */
const PHONE_CHARS = /^[\d\s+\-().\/]+$/;

/** `s.toLowerCase()` (the project's fold, docs/DATA.md) and then accents off: "José" -> "jose". */
export function foldForSearch(s: string): string {
  const lower = s.toLowerCase();
  // Most names and addresses are ASCII; normalising them is the costly part of pre-ranking.
  return ASCII.test(lower) ? lower : lower.normalize('NFD').replace(/\p{M}+/gu, '').normalize('NFC');
}

export function normalizeQuery(raw: string): NormalizedQuery {
  const text = foldForSearch(raw).replace(/\s+/g, ' ').trim();
  const words = text === '' ? [] : text.split(' ');
  return { text, words, digits: phoneDigits(text) };
}

/**
 * The digits of a phone-like entry, or null. Stored numbers are E.164, so a leading `+` or `00`
 * (international call prefix) is followed by the country code, which the stored digits also
 * start with, and a leading `0` is a national trunk prefix that E.164 drops.
 */
export function phoneDigits(text: string): string | null {
  if (!PHONE_CHARS.test(text)) return null;
  let digits = text.replace(/\D/g, '');
  if (digits.length < 3) return null;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  return digits.length > 0 ? digits : null;
}
