import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerSqlFunctions } from './functions.ts';
import { applyMigrations } from './migrations-runner.mjs';

export const migrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../prisma/migrations');

/** `file:./data/x.db` or a plain path -> an absolute file path. */
export function sqlitePath(url: string): string {
  return resolve(url.replace(/^file:/, ''));
}

/**
 * Per-connection settings every SQLite connection of ours gets. WAL lets readers proceed
 * during a write; busy_timeout makes a writer wait for the lock instead of failing at once;
 * foreign_keys is off by default in SQLite and the schema's cascades rely on it.
 */
export function configureConnection(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  // INSERT OR REPLACE must fire delete triggers too, or the contact search index drifts.
  db.pragma('recursive_triggers = ON');
  registerSqlFunctions(db);
}

/** Opens a raw connection (seed, bulk work) with the standard settings. */
export function openSqlite(file: string): Database.Database {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  configureConnection(db);
  return db;
}

/** Brings the database file up to the checked-in migrations; returns what was applied. */
export function migrate(file: string): string[] {
  const db = openSqlite(file);
  try {
    return applyMigrations(db, migrationsDir);
  } finally {
    db.close();
  }
}
