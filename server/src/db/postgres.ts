import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PrismaClient as PgPrismaClient } from '../generated/prisma-pg/client.js';
import { Mutex } from '../lib/mutex.ts';
import type { Db } from './client.ts';
import { applyPgMigrations } from './pg-migrations-runner.mjs';
import { postgresSql } from './sql.ts';

export const pgMigrationsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../prisma/postgres/migrations');

/**
 * Every write transaction takes this transaction-scoped advisory lock first, so writes are
 * serialised across all nodes exactly as SQLite serialises them in one file: a service that
 * reads, checks (a contact's version, a unique name) and writes in one transaction needs no
 * row locks or serialization retries, and the services stay one set for both databases.
 * Reads never wait for it.
 */
export const WRITE_LOCK = 7_283_002;

/** Brings the database up to the checked-in PostgreSQL migrations; returns what was applied. */
export async function migratePostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await applyPgMigrations(client, pgMigrationsDir);
  } finally {
    await client.end();
  }
}

export async function openPostgres(url: string): Promise<Db> {
  await migratePostgres(url);
  const adapter = new PrismaPg({ connectionString: url, max: 10 });
  // The twin client has the same models and fields (prisma/postgres/schema.prisma is generated
  // from the SQLite schema), so it is used through the one PrismaClient type.
  const prisma = new PgPrismaClient({ adapter, transactionOptions: { maxWait: 30_000, timeout: 30_000 } }) as unknown as PrismaClient;
  await prisma.$connect();
  const mutex = new Mutex();
  return {
    kind: 'postgres',
    prisma,
    sql: postgresSql(prisma),
    get conn(): never {
      throw new Error('No SQLite connection on PostgreSQL: this code path has not been given a PostgreSQL implementation');
    },
    // Queued on this node first, as on SQLite: only one transaction of the node holds a pool
    // connection while it waits for the lock, so a burst of writes (2,000 concurrent PATCHes)
    // waits its turn instead of exhausting the pool and failing after maxWait, and reads keep
    // the other connections.
    tx: (fn) =>
      mutex.run(() =>
        prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', WRITE_LOCK);
          return fn(tx, postgresSql(tx));
        }),
      ),
    close: async () => {
      await mutex.run(async () => undefined);
      await prisma.$disconnect();
    },
  };
}
