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
 * Bytes of the database file read through a memory map (SQLite's compiled-in maximum, ~2 GB).
 * Lists and counts look contacts and values up at random across the file; through the map a
 * page is a memory read instead of a read() call into a 16 MB page cache: at a million
 * contacts (1.8 GB) a rare tag's count went from 37 to 7 ms and a custom-field walk from 8 to
 * 3.6 µs a contact. Only reads use it (writes still go through the WAL); the pages are the OS's
 * file cache, shared by every connection, not process memory.
 */
export const MMAP_SIZE = 2_147_418_112;

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
  db.pragma(`mmap_size = ${MMAP_SIZE}`);
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
