// Applies prisma/postgres/migrations/*/migration.sql in name order, each in its own transaction,
// and records it in _migrations so it runs once. Plain JS so the dev-time diff tool shares it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Any fixed number: every node takes the same advisory lock before migrating.
const MIGRATION_LOCK = 7_283_001;

/**
 * @param {import('pg').ClientBase} client a connected client (not in a transaction)
 * @param {string} dir
 * @returns {Promise<string[]>} names of the migrations applied now
 */
export async function applyPgMigrations(client, dir) {
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
        .map((e) => e.name)
        .sort()
    : [];
  const applied = [];
  // Two nodes starting at once: the second waits for the lock, then finds the work done.
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY NOT NULL, applied_at BIGINT NOT NULL)');
    const done = new Set((await client.query('SELECT name FROM _migrations')).rows.map((r) => r.name));
    for (const name of names) {
      if (done.has(name)) continue;
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO _migrations (name, applied_at) VALUES ($1, $2)', [name, Date.now()]);
        // Before the next migration, which may build on these columns (a generated column
        // cannot have its source's collation changed afterwards).
        await binaryCollation(client);
        await client.query('COMMIT');
        applied.push(name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${err instanceof Error ? err.message : err}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  }
  return applied;
}

/**
 * Every text column compares and sorts byte-wise ("C"), as SQLite's BINARY collation does, so
 * ORDER BY name, prefix ranges and equality give the same rows on both databases whatever
 * collation the database was created with. Runs inside each migration's transaction and alters
 * only the columns it has just added.
 */
async function binaryCollation(client) {
  const { rows } = await client.query(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND data_type = 'text' AND table_name <> '_migrations'
       AND collation_name IS DISTINCT FROM 'C'`,
  );
  for (const r of rows) {
    await client.query(`ALTER TABLE "${r.table_name}" ALTER COLUMN "${r.column_name}" TYPE text COLLATE "C"`);
  }
}
