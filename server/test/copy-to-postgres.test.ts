import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { copySqliteToPostgres } from '../src/db/copy-to-postgres.ts';
import { migratePostgres } from '../src/db/postgres.ts';
import { migrate, openSqlite } from '../src/db/sqlite.ts';
import { seedDemo } from '../src/seed/generate.ts';
import { createTestDatabase, postgresAvailable } from './support/postgres.ts';

const withPostgres = await postgresAvailable();

describe.runIf(withPostgres)('copying a SQLite database into PostgreSQL', () => {
  it('copies every row of the demo seed, times as the same instants, and new rows get fresh ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-copy-'));
    const file = join(dir, 'seed.db');
    migrate(file);
    const source = openSqlite(file);
    const database = await createTestDatabase();
    const client = new pg.Client({ connectionString: database.url });
    try {
      await seedDemo(source, { contacts: 300, conversations: 40, now: Date.UTC(2026, 10, 1) });
      await migratePostgres(database.url);
      await client.connect();
      const counts = await copySqliteToPostgres(source, client);

      // Every table's count, and the contacts' times and JSON as stored.
      for (const [table, n] of counts) {
        const from = source.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
        expect([table, n]).toEqual([table, from]);
      }
      expect(counts.get('contact')).toBe(300);
      expect(counts.get('message')).toBeGreaterThan(40);
      const lite = source.prepare('SELECT id, nameKey, createdAt FROM Contact ORDER BY id LIMIT 5').safeIntegers(false).all() as { id: number; nameKey: string; createdAt: number }[];
      const copied = await client.query('SELECT id, namekey, (extract(epoch FROM createdat) * 1000)::bigint AS ms FROM contact ORDER BY id LIMIT 5');
      expect(copied.rows.map((r) => ({ id: r.id, nameKey: r.namekey, createdAt: Number(r.ms) }))).toEqual(lite);
      const segment = await client.query('SELECT filter FROM segment ORDER BY id LIMIT 1');
      expect(segment.rows[0].filter).toEqual(JSON.parse(source.prepare('SELECT filter FROM Segment ORDER BY id LIMIT 1').pluck().get() as string));

      const next = await client.query("INSERT INTO tag (workspaceid, name, createdat) VALUES (1, 'after the copy', now()) RETURNING id");
      const maxTag = source.prepare('SELECT max(id) FROM Tag').pluck().safeIntegers(false).get() as number;
      expect(next.rows[0].id).toBeGreaterThan(maxTag);
    } finally {
      source.close();
      await client.end();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
