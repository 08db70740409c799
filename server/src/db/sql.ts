import type Database from 'better-sqlite3';
import pg from 'pg';
import { stmt } from '../lib/sql.ts';

/**
 * A parameter of raw SQL. Times are passed as `Date` (SQLite stores unix ms, PostgreSQL a
 * timestamp); everything else as the plain value.
 */
export type SqlValue = string | number | bigint | boolean | Date | Buffer | null;

/**
 * Raw SQL that runs on both databases. The SQL text is written once, for both:
 * - `?` placeholders (rewritten to `$1, $2…` for PostgreSQL);
 * - unquoted identifiers (`SELECT c.workspaceId FROM Contact c`): the PostgreSQL schema maps
 *   every table and column to its lower-case name, which is what unquoted names fold to;
 * - standard SQL both accept: `COALESCE` not `IFNULL`, `ON CONFLICT … DO NOTHING` not
 *   `INSERT OR IGNORE`, `IS DISTINCT FROM` not `IS NOT ?`, `RETURNING id` not lastInsertRowid.
 * Rows come back the same on both: times as unix ms numbers, counts as numbers, JSON columns as
 * their text.
 */
export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** The first column of the first row (`SELECT count(*) …`), or undefined when no row. */
  value<T = unknown>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** The first column of every row. */
  column<T = unknown>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** A statement without rows; answers how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

/** better-sqlite3 binds neither Date nor boolean. */
function sqliteParam(v: SqlValue): string | number | bigint | Buffer | null {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/**
 * On a better-sqlite3 connection (Prisma's, so it joins an open transaction on it). The work is
 * synchronous; the promise only gives both dialects one shape.
 */
export function sqliteSql(conn: Database.Database): Sql {
  const prepared = (sql: string, mode: 'rows' | 'pluck') => {
    const s = stmt(conn, sql);
    // Statements are cached by text and the mode sticks to the statement: set it every time.
    if (s.reader) s.pluck(mode === 'pluck');
    return s;
  };
  const bind = (params: readonly SqlValue[] = []) => params.map(sqliteParam);
  return {
    dialect: 'sqlite',
    all: async <T>(sql: string, params?: readonly SqlValue[]) => prepared(sql, 'rows').all(...bind(params)) as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => prepared(sql, 'rows').get(...bind(params)) as T | undefined,
    value: async <T>(sql: string, params?: readonly SqlValue[]) => prepared(sql, 'pluck').get(...bind(params)) as T | undefined,
    column: async <T>(sql: string, params?: readonly SqlValue[]) => prepared(sql, 'pluck').all(...bind(params)) as T[],
    run: async (sql: string, params?: readonly SqlValue[]) => prepared(sql, 'rows').run(...bind(params)).changes,
  };
}

/** `?` → `$1, $2…`, leaving quoted strings, quoted identifiers and comments alone. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const end = sql.indexOf(ch, i + 1);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (ch === '?') {
      out += `$${++n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** A PostgreSQL value as SQLite would have returned it (see `Sql`). */
export function sqliteShaped(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? Number(v) : v;
  if (v instanceof Date) return v.getTime();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return v;
  // Prisma's Decimal (numeric columns, sums).
  if (typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  // json/jsonb arrive parsed; SQLite hands back the text.
  return JSON.stringify(v);
}

/**
 * PostgreSQL folds unquoted names, aliases included, to lower case: `SELECT createdAt,
 * a.name AS authorName` comes back as `createdat`, `authorname`. Every mixed-case name in the
 * SQL text is a name the caller expects back, so the text itself says how to restore them.
 */
const namesBySql = new Map<string, Map<string, string>>();
function caseOf(sql: string): Map<string, string> {
  let names = namesBySql.get(sql);
  if (!names) {
    names = new Map();
    for (const word of sql.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) {
      if (word !== word.toLowerCase()) names.set(word.toLowerCase(), word);
    }
    // Built statements vary (IN lists); keep the cache bounded.
    if (namesBySql.size > 5000) namesBySql.clear();
    namesBySql.set(sql, names);
  }
  return names;
}

function shapeRow(row: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) out[names.get(key) ?? key] = sqliteShaped(row[key]);
  return out;
}

/** The raw-query surface shared by PrismaClient and a transaction client. */
export interface RawQueries {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

/**
 * A PostgreSQL `Sql` from two primitives: rows of a query (SQL text already numbered) and the
 * changed-row count of a statement. Result keys get their camelCase back, values their SQLite shape.
 */
function postgresOver(rowsOf: (text: string, params: readonly SqlValue[]) => Promise<Record<string, unknown>[]>, changed: (text: string, params: readonly SqlValue[]) => Promise<number>): Sql {
  const rows = async (sql: string, params: readonly SqlValue[] = []) => {
    const names = caseOf(sql);
    return (await rowsOf(numberPlaceholders(sql), params)).map((r) => shapeRow(r, names));
  };
  const first = (row: Record<string, unknown> | undefined) => (row ? row[Object.keys(row)[0]!] : undefined);
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await rows(sql, params)) as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => (await rows(sql, params))[0] as T | undefined,
    value: async <T>(sql: string, params?: readonly SqlValue[]) => first((await rows(sql, params))[0]) as T | undefined,
    column: async <T>(sql: string, params?: readonly SqlValue[]) => (await rows(sql, params)).map(first) as T[],
    run: (sql: string, params: readonly SqlValue[] = []) => changed(numberPlaceholders(sql), params),
  };
}

/** Through Prisma's raw queries on PostgreSQL: pass the transaction client inside `db.tx`. */
export function postgresSql(client: RawQueries): Sql {
  return postgresOver(
    async (text, params) => (await client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params)) ?? [],
    (text, params) => client.$executeRawUnsafe(text, ...params),
  );
}

/**
 * On a plain `pg` client (the import's worker thread, which has no Prisma): the same rows as
 * through Prisma. `timestamp` (without zone) is read as UTC, as Prisma reads it; a Date
 * parameter is sent as its UTC ISO string, which a `timestamp` column takes as that wall time.
 */
export function pgClientSql(client: PgClient): Sql {
  const param = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.map(param) : v);
  const query = (text: string, params: readonly SqlValue[]) => client.query({ name: statementName(text), text, values: params.map(param), types: pgTypes });
  return postgresOver(
    async (text, params) => (await query(text, params)).rows,
    async (text, params) => (await query(text, params)).rowCount ?? 0,
  );
}

/**
 * Statements are prepared by name, once per connection: PostgreSQL then skips parsing (a
 * single-row select ~230 → ~170 µs here). Only the first 500 distinct texts of the process get a
 * name, so the statements a long-lived connection keeps prepared stay bounded while built SQL (IN
 * lists, filters) keeps varying; later ones run unnamed. The app's pool runs CUSTOM_PLANS on each
 * connection first.
 */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `sb_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * After five runs PostgreSQL may plan a prepared statement once for any parameters (a generic
 * plan: ~80 instead of ~170 µs for a single-row select). For the contacts list that is wrong:
 * one text serves a rare and a common value alike, and with the generic plan a `plan = gold` page
 * at a million contacts took 218 ms instead of 34. Plans stay per execution. The import's worker
 * keeps the default: its few statements have one shape for every batch, and planning each batch
 * cost a quarter of its rows/s (6,800 → 4,900 rows/s into a million contacts).
 */
export const CUSTOM_PLANS = 'SET plan_cache_mode = force_custom_plan';

/** What pgClientSql needs of a pg Client (a connected one, or a PoolClient). */
export interface PgClient {
  query(config: { name?: string; text: string; values: unknown[]; types: PgTypes }): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

interface PgTypes {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown;
}

const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;
const INT8 = 20;
const NUMERIC = 1700;
const JSON_OID = 114;
const JSONB = 3802;

/** Per-query type parsers (the pg module's global ones are left alone). */
const pgTypes: PgTypes = {
  getTypeParser(oid: number) {
    switch (oid) {
      case TIMESTAMP:
        return (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
      case TIMESTAMPTZ:
        return (s: string) => Date.parse(s);
      case INT8:
      case NUMERIC:
        return (s: string) => Number(s);
      case JSON_OID:
      case JSONB:
        // SQLite hands back the text it stored (JSON.stringify's); jsonb prints its own spacing.
        return (s: string) => JSON.stringify(JSON.parse(s));
      default:
        return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
    }
  },
};
