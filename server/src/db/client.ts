import type Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaClient, type Prisma } from '../generated/prisma/client.js';
import { Mutex } from '../lib/mutex.ts';
import { openPostgres } from './postgres.ts';
import { sqliteSql, type Sql } from './sql.ts';
import { configureConnection, migrate, sqlitePath } from './sqlite.ts';
import { announceWrite, writeDone } from './write-intent.ts';

export type Tx = Prisma.TransactionClient;
export type { Sql } from './sql.ts';

export interface Db {
  kind: 'sqlite' | 'postgres';
  prisma: PrismaClient;
  /** Raw SQL for both databases, outside a transaction (inside one, use the `sql` that `tx` passes). */
  sql: Sql;
  /**
   * SQLite only: Prisma's own better-sqlite3 connection. Synchronous raw SQL run on it inside
   * `tx()` joins that transaction (bulk paths use prepared statements here; call
   * `.safeIntegers(false)` on them, Prisma turns safe integers on for the connection). On
   * PostgreSQL reading it throws: such code has a dialect-specific path.
   */
  conn: Database.Database;
  /**
   * A serialised write transaction; `sql` runs raw SQL inside it. SQLite has one writer; the app
   * runs its write transactions one at a time so a transaction held open across awaits never
   * interleaves with another request's writes on the shared connection. PostgreSQL transactions
   * are serialised the same way, across nodes (see postgres.ts).
   */
  tx<T>(fn: (tx: Tx, sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The adapter opens transactions with a plain (deferred) BEGIN. When another process (a second
 * node, an import worker) writes between our first read and first write, SQLite answers
 * SQLITE_BUSY at once instead of waiting. BEGIN IMMEDIATE takes the write lock up front, so
 * busy_timeout applies and writers queue. Every transaction of ours is a write transaction.
 */
function immediateTransactions(conn: Database.Database): void {
  const prepare = conn.prepare.bind(conn);
  conn.prepare = ((sql: string) => prepare(sql === 'BEGIN' ? 'BEGIN IMMEDIATE' : sql)) as typeof conn.prepare;
}

/** `file:…` opens SQLite (the embedded default), `postgresql://…` PostgreSQL (docs/DEPLOY.md). */
export async function openDb(databaseUrl: string): Promise<Db> {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return openPostgres(databaseUrl);
  if (!databaseUrl.startsWith('file:')) throw new Error('DATABASE_URL must start with file: or postgresql://');
  const file = sqlitePath(databaseUrl);
  migrate(file);

  let conn: Database.Database | undefined;
  const inner = new PrismaBetterSqlite3({ url: `file:${file}` }, { timestampFormat: 'unixepoch-ms' });
  // Wrap the factory to configure the connection Prisma opens (the adapter sets no pragmas,
  // so foreign keys would be off) and to keep a handle on it for raw SQL.
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect(): Promise<SqlDriverAdapter> {
      const adapter = await inner.connect();
      conn = (adapter as unknown as { client: Database.Database }).client;
      configureConnection(conn);
      immediateTransactions(conn);
      return adapter;
    },
    connectToShadowDb: () => inner.connectToShadowDb(),
  };
  const prisma = new PrismaClient({ adapter: factory, transactionOptions: { maxWait: 30_000, timeout: 30_000 } });
  await prisma.$connect();
  if (!conn) throw new Error('Prisma did not open the SQLite connection');
  const mutex = new Mutex();
  const connection = conn;
  const sql = sqliteSql(connection);

  return {
    kind: 'sqlite',
    prisma,
    sql,
    conn: connection,
    tx: (fn) => {
      // Seen by an import worker, which commits its batch and lets this write go first; the wait
      // for that commit is async (db/write-intent.ts).
      return announceWrite()
        .then(() => mutex.run(() => prisma.$transaction((tx) => fn(tx, sql))))
        .finally(() => writeDone());
    },
    close: async () => {
      await mutex.run(async () => undefined);
      await prisma.$disconnect();
    },
  };
}
