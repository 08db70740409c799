// Applies prisma/migrations/*/migration.sql in name order, each in its own transaction, and
// records it in _migrations so it runs once. Plain JS so the dev-time diff tool shares it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {import('better-sqlite3').Database} db
 * @param {string} dir
 * @returns {string[]} names of the migrations applied now
 */
export function applyMigrations(db, dir) {
  db.exec(`CREATE TABLE IF NOT EXISTS _migrations (
    name TEXT PRIMARY KEY NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const done = new Set(db.prepare('SELECT name FROM _migrations').pluck().all());
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
        .map((e) => e.name)
        .sort()
    : [];
  const applied = [];
  const record = db.prepare('INSERT INTO _migrations (name, applied_at) VALUES (?, ?)');
  for (const name of names) {
    if (done.has(name)) continue;
    const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
    // BEGIN IMMEDIATE takes the write lock first, so two nodes starting at once cannot both
    // apply the same migration; the loser re-checks and skips it.
    db.exec('BEGIN IMMEDIATE');
    try {
      const again = db.prepare('SELECT 1 FROM _migrations WHERE name = ?').get(name);
      if (!again) {
        db.exec(sql);
        record.run(name, Date.now());
        applied.push(name);
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`Migration ${name} failed: ${err instanceof Error ? err.message : err}`);
    }
  }
  return applied;
}
