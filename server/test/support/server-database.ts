import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pgClientSql, type SqlValue } from '../../src/db/sql.ts';
import { createTestDatabase } from './postgres.ts';

/**
 * The database a spawned server process (startServer) runs on: with TEST_DATABASE=postgres a
 * fresh PostgreSQL database passed as DATABASE_URL (one database shared by every node started
 * with `env`), otherwise the SQLite file DATA_DIR/switchboard.db. The test reads it back with
 * `value`/`column` between or after the processes' runs (same SQL text on both, `?` params).
 */
export interface ServerDatabase {
  /** Extra environment for startServer, next to DATA_DIR. */
  env: Record<string, string>;
  value<T = unknown>(sql: string, params?: unknown[]): Promise<T | undefined>;
  column<T = unknown>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Drops the PostgreSQL database (after the processes stopped); nothing on SQLite. */
  drop(): Promise<void>;
}

export async function serverDatabase(dataDir: string): Promise<ServerDatabase> {
  // As helper.ts's testDatabase (not imported: that loads the whole app into a process test).
  if (process.env.TEST_DATABASE === 'postgres') {
    const database = await createTestDatabase();
    // The app's own PostgreSQL Sql: counts as numbers, times as ms, as the app reads them.
    const column = async <T>(sql: string, params: unknown[] = []) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return await pgClientSql(client).column<T>(sql, params as SqlValue[]);
      } finally {
        await client.end();
      }
    };
    return {
      env: { DATABASE_URL: database.url },
      value: async <T>(sql: string, params?: unknown[]) => (await column<T>(sql, params))[0],
      column,
      drop: () => database.drop(),
    };
  }
  const column = async <T>(sql: string, params: unknown[] = []) => {
    const db = new Database(join(dataDir, 'switchboard.db'), { readonly: true });
    try {
      return db.prepare(sql).pluck().all(...params) as T[];
    } finally {
      db.close();
    }
  };
  return {
    env: {},
    value: async <T>(sql: string, params?: unknown[]) => (await column<T>(sql, params))[0],
    column,
    drop: async () => undefined,
  };
}
