import { AsyncLocalStorage } from 'node:async_hooks';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PrismaClient as PgPrismaClient } from '../generated/prisma-pg/client.js';
import { Mutex } from '../lib/mutex.ts';
import type { Db } from './client.ts';
import { applyPgMigrations } from './pg-migrations-runner.mjs';
import { CUSTOM_PLANS, pgClientSql, postgresSql } from './sql.ts';

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

/**
 * The pool Prisma and raw SQL share. Raw SQL goes to `pg` directly: through Prisma's raw
 * queries each statement costs ~0.45 ms of client time, through `pg` ~0.2 ms, and a PATCH runs
 * ~25 of them. Inside a transaction raw SQL has to use the transaction's own connection, which
 * Prisma takes from this pool with a promise-style `connect()` (its single queries use
 * `query()`, which connects with a callback): the pool hands that connection to the `db.tx`
 * that is waiting for it, found through async context, not through shared state.
 */
class SharedPool extends pg.Pool {
  readonly waiting = new AsyncLocalStorage<{ client?: pg.PoolClient }>();

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (callback) return super.connect(callback);
    const slot = this.waiting.getStore();
    return super.connect().then((client) => {
      if (slot && !slot.client) slot.client = client;
      return client;
    });
  }
}

export async function openPostgres(url: string): Promise<Db> {
  await migratePostgres(url);
  const pool = new SharedPool({ connectionString: url, max: 10 });
  // Queued on the new connection ahead of anything else it is given; should it fail, the
  // connection is broken and its next query reports that.
  pool.on('connect', (client) => client.query(CUSTOM_PLANS).catch(() => undefined));
  // An idle connection the server closed (a restart, a network cut) is dropped by the pool and
  // replaced on the next query; unheard, its 'error' event would end the process. Prisma listens
  // only while connected, and the pool outlives its $disconnect during close().
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool);
  // The twin client has the same models and fields (prisma/postgres/schema.prisma is generated
  // from the SQLite schema), so it is used through the one PrismaClient type.
  const prisma = new PgPrismaClient({ adapter, transactionOptions: { maxWait: 30_000, timeout: 30_000 } }) as unknown as PrismaClient;
  await prisma.$connect();
  const mutex = new Mutex();
  return {
    kind: 'postgres',
    prisma,
    sql: pgClientSql(pool),
    get conn(): never {
      throw new Error('No SQLite connection on PostgreSQL: this code path has not been given a PostgreSQL implementation');
    },
    // Queued on this node first, as on SQLite: only one transaction of the node holds a pool
    // connection while it waits for the lock, so a burst of writes (2,000 concurrent PATCHes)
    // waits its turn instead of exhausting the pool and failing after maxWait, and reads keep
    // the other connections.
    tx: (fn) =>
      mutex.run(() => {
        const slot: { client?: pg.PoolClient } = {};
        return pool.waiting.run(slot, () =>
          prisma.$transaction(async (tx) => {
            // Should Prisma ever take its transaction's connection another way, raw SQL falls
            // back to its raw queries: slower, still inside the transaction.
            const sql = slot.client ? pgClientSql(slot.client) : postgresSql(tx);
            await sql.run('SELECT pg_advisory_xact_lock(?)', [WRITE_LOCK]);
            return fn(tx, sql);
          }),
        );
      }),
    close: async () => {
      await mutex.run(async () => undefined);
      await prisma.$disconnect();
      await pool.end();
    },
  };
}
