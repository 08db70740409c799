/**
 * The smallest string above every string that starts with `prefix`, in SQLite's BINARY order
 * (UTF-8 bytes, which sort like code points): `prefix` with its last code point incremented.
 * Then `x >= prefix AND x < upper` is `x` starts with `prefix`, as an index range. Null when
 * there is no such string (last code point U+10FFFF).
 */
export function prefixUpperBound(prefix: string): string | null {
  const cps = [...prefix];
  const last = cps.pop()?.codePointAt(0);
  if (last === undefined || last >= 0x10ffff) return null;
  // Surrogate code points never occur in UTF-8 text; skip over them.
  const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
  return cps.join('') + String.fromCodePoint(next);
}
