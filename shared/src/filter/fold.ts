/**
 * The one case folding of the filter language (docs/DATA.md). The server registers the same
 * function on every SQLite connection as `sb_fold(x)`, so both back ends fold non-ASCII text
 * identically (SQLite's own `lower()` folds ASCII only).
 */
export function fold(s: string): string {
  return s.toLowerCase();
}
