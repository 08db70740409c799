import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { openSqlite } from '../db/sqlite.ts';

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

/**
 * A consistent copy of a live database through SQLite's online backup API: it copies pages while
 * the server keeps reading and writing (WAL), restarting a step when a write lands on a page
 * already copied, and the result is one transaction-consistent snapshot. Written beside the
 * target first and renamed once `integrity_check` passes, so a failed backup never replaces a
 * good one.
 */
export async function backupDatabase(source: string, target: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`No database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already; choose another file name`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const db = openSqlite(source);
  try {
    await db.backup(partial);
  } finally {
    db.close();
  }
  const copy = new Database(partial);
  try {
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`The copy failed its integrity check: ${String(check)}`);
    // One self-contained file: a restore is a copy, with no -wal to carry along.
    copy.pragma('journal_mode = DELETE');
  } catch (err) {
    copy.close();
    rmSync(partial, { force: true });
    throw err;
  }
  copy.close();
  renameSync(partial, target);
  return { file: target, bytes: statSync(target).size, ms: performance.now() - started };
}
