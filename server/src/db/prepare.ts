import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import { demoLogins, seedDemo } from '../seed/generate.ts';
import { openDb, type Db } from './client.ts';
import { copySqliteToPostgres } from './copy-to-postgres.ts';
import { migratePostgres } from './postgres.ts';
import { migrate, openSqlite, sqlitePath } from './sqlite.ts';

export interface Prepared {
  db: Db;
  /** Migrations applied by this start. */
  applied: string[];
  /** The demo logins exist (printed at start). */
  hasDemo: boolean;
  /** Where the data lives, for the start banner (never a password). */
  where: string;
}

const log = (msg: string) => console.log(msg);

/**
 * Brings the configured database up to the migrations, seeds the demo workspace into an empty
 * one (SEED_DEMO=1), and opens it. The seed writes SQLite with prepared statements; on
 * PostgreSQL it is seeded into a scratch SQLite file and copied over in bulk.
 */
export async function prepareDatabase(config: Config): Promise<Prepared> {
  if (config.database === 'postgresql') return preparePostgres(config);
  const file = sqlitePath(config.databaseUrl);
  const applied = migrate(file);
  const raw = openSqlite(file);
  try {
    const isEmpty = (raw.prepare('SELECT count(*) FROM Workspace').pluck().get() as number) === 0;
    if (isEmpty && config.seedDemo) {
      log('Empty database: seeding the demo workspace "Acme Support" …');
      const summary = await seedDemo(raw, {});
      // Planner statistics, so the first filtered queries pick the right indexes.
      raw.exec('ANALYZE');
      log(`Seeded ${summary.contacts} contacts and ${summary.conversations} conversations in ${summary.ms} ms.`);
    }
  } finally {
    raw.close();
  }
  const db = await openDb(config.databaseUrl);
  return { db, applied, hasDemo: await demoExists(db), where: file };
}

async function preparePostgres(config: Config): Promise<Prepared> {
  const url = config.databaseUrl;
  const applied = await migratePostgres(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM Workspace');
    if (Number(rows[0]!.n) === 0 && config.seedDemo) {
      log('Empty database: seeding the demo workspace "Acme Support" …');
      const scratch = mkdtempSync(join(config.dataDir, 'seed-'));
      try {
        const file = join(scratch, 'seed.db');
        migrate(file);
        const raw = openSqlite(file);
        try {
          const summary = await seedDemo(raw, {});
          await copySqliteToPostgres(raw, client);
          log(`Seeded ${summary.contacts} contacts and ${summary.conversations} conversations in ${summary.ms} ms.`);
        } finally {
          raw.close();
        }
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    }
  } finally {
    await client.end();
  }
  const db = await openDb(url);
  const where = new URL(url);
  where.password = '';
  return { db, applied, hasDemo: await demoExists(db), where: `PostgreSQL ${where.host}${where.pathname}` };
}

const demoExists = async (db: Db) => (await db.sql.get('SELECT 1 AS x FROM Agent WHERE email = ?', [demoLogins[0]!.email])) !== undefined;
