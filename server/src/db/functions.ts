import type Database from 'better-sqlite3';
import { fold } from '@switchboard/shared/filter/fold';

/**
 * SQL functions every connection gets. `sb_fold` is the filter language's case folding (JS
 * `toLowerCase`), so SQL agrees with the in-memory evaluator on non-ASCII text where SQLite's
 * `lower()` folds ASCII only. Deterministic, so the planner may factor it; NULL stays NULL and
 * non-text values pass through unchanged.
 */
export function registerSqlFunctions(conn: Database.Database): void {
  conn.function('sb_fold', { deterministic: true }, (x: unknown) => (typeof x === 'string' ? fold(x) : x));
}
