import type Database from 'better-sqlite3';

/**
 * Copies every row of a migrated SQLite database into an empty, migrated PostgreSQL database:
 * the demo seed on PostgreSQL (seeded into a scratch SQLite file, then copied), the million-
 * contact benchmark set, and a team moving an existing SQLite deployment to PostgreSQL.
 *
 * Tables go in foreign-key order (parents first, rows by id so self-references such as an undo
 * job's import job come first), in multi-row INSERTs inside one transaction; times go from unix
 * ms to timestamps; then every id sequence is moved past the copied ids.
 */
export interface CopyProgress {
  table: string;
  rows: number;
}

/** What the copy needs of a connected `pg` client (structural: the bench resolves its own copy of pg's types). */
export interface PgConnection {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

// PostgreSQL takes at most 65,535 parameters per statement.
const MAX_PARAMS = 60_000;

interface PgColumn {
  name: string;
  timestamp: boolean;
}

async function pgTables(client: PgConnection): Promise<Map<string, PgColumn[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> '_migrations' ORDER BY table_name, ordinal_position`,
  );
  const tables = new Map<string, PgColumn[]>();
  for (const r of rows) {
    let cols = tables.get(r.table_name);
    if (!cols) tables.set(r.table_name, (cols = []));
    cols.push({ name: r.column_name, timestamp: r.data_type.startsWith('timestamp') });
  }
  return tables;
}

/** Parents before children, from PostgreSQL's own foreign keys. */
async function fkOrder(client: PgConnection, tables: string[]): Promise<string[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
     FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`,
  );
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const r of rows) if (r.child !== r.parent) parents.get(r.child.replace(/"/g, ''))?.add(r.parent.replace(/"/g, ''));
  const order: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (order.includes(t) || path.has(t)) return;
    path.add(t);
    for (const p of parents.get(t) ?? []) visit(p, path);
    order.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return order;
}

export async function copySqliteToPostgres(source: Database.Database, client: PgConnection, onProgress?: (p: CopyProgress) => void): Promise<Map<string, number>> {
  const tables = await pgTables(client);
  // SQLite names (camelCase) by their lower-case PostgreSQL twin.
  const sqliteNames = new Map(
    (source.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[]).map((n) => [n.toLowerCase(), n]),
  );
  const counts = new Map<string, number>();
  await client.query('BEGIN');
  try {
    for (const table of await fkOrder(client, [...tables.keys()])) {
      const from = sqliteNames.get(table);
      if (!from) continue;
      const cols = tables.get(table)!;
      const sourceCols = new Map(
        (source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(from) as string[]).map((n) => [n.toLowerCase(), n]),
      );
      const shared = cols.filter((c) => sourceCols.has(c.name));
      const select = source.prepare(`SELECT ${shared.map((c) => `"${sourceCols.get(c.name)}"`).join(', ')} FROM "${from}" ORDER BY rowid`).raw(true);
      select.safeIntegers(false);
      const perStatement = Math.max(1, Math.floor(MAX_PARAMS / shared.length));
      let batch: unknown[][] = [];
      let n = 0;
      const flush = async () => {
        if (!batch.length) return;
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${row.map((v) => (values.push(v), `$${values.length}`)).join(', ')})`);
        await client.query(`INSERT INTO "${table}" (${shared.map((c) => `"${c.name}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values);
        n += batch.length;
        onProgress?.({ table, rows: n });
        batch = [];
      };
      for (const row of select.iterate() as Iterable<unknown[]>) {
        batch.push(row.map((v, i) => (shared[i]!.timestamp && typeof v === 'number' ? new Date(v).toISOString() : v)));
        if (batch.length >= perStatement) await flush();
      }
      await flush();
      counts.set(table, n);
      if (cols.some((c) => c.name === 'id')) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, 'id'), GREATEST((SELECT max(id) FROM "${table}"), 1), (SELECT max(id) IS NOT NULL FROM "${table}"))`,
          [table],
        );
      }
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
  // A freshly filled table has no visibility map and no statistics until autovacuum gets to it:
  // meanwhile every index-only scan reads the heap row too, and the planner guesses. At a million
  // contacts a rare tag's first page took 243 ms before this and 86 ms after (bench/README.md).
  for (const [table, n] of counts) if (n > 0) await client.query(`VACUUM (ANALYZE) "${table}"`);
  return counts;
}
