import type Database from 'better-sqlite3';

/**
 * Prepared statements on Prisma's connection, cached by SQL text. Prisma turns safe integers
 * on for that connection; our ids and times fit in a double, so plain numbers are returned.
 */
const cache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

export function stmt(conn: Database.Database, sql: string): Database.Statement {
  let byText = cache.get(conn);
  if (!byText) cache.set(conn, (byText = new Map()));
  let s = byText.get(sql);
  if (!s) {
    s = conn.prepare(sql);
    if (s.reader) s.safeIntegers(false);
    byText.set(sql, s);
  }
  return s;
}

/** `?, ?, ?` for an IN list. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
