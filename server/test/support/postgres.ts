import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { requireServices } from './process.ts';

/** The machine's PostgreSQL (trust auth); each test run creates and drops its own database. */
export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Whether PostgreSQL answers; with REQUIRE_SERVICES=1 a missing server fails the run instead. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (err) {
    if (requireServices) throw new Error(`REQUIRE_SERVICES=1 but PostgreSQL is not reachable at ${PG_ADMIN_URL}: ${(err as Error).message}`);
    return false;
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sb_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
