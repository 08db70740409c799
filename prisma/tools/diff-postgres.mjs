// Dev-time: writes the SQL that takes the checked-in PostgreSQL migrations to
// prisma/postgres/schema.prisma (regenerate that first: node prisma/tools/postgres-schema.mjs).
//   node prisma/tools/diff-postgres.mjs <migration_name>   -> prisma/postgres/migrations/<timestamp>_<name>/migration.sql
//   node prisma/tools/diff-postgres.mjs --print            -> prints the SQL only
// Uses the WebAssembly schema engine, as diff.mjs does for SQLite. Hand-written parts (search:
// pg_trgm) go in their own migrations, without a schema.prisma snapshot.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { finishMigration, loadEngine } from './engine.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schemaPath = join(root, 'prisma/postgres/schema.prisma');
const migrationsDir = join(root, 'prisma/postgres/migrations');
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const args = process.argv.slice(2);
const printOnly = args.includes('--print');
const name = args.find((a) => !a.startsWith('--'));
if (!printOnly && !name) {
  console.error('usage: node prisma/tools/diff-postgres.mjs <migration_name> | --print');
  process.exit(2);
}

// The engine cannot introspect PostgreSQL through the adapter here (it fails on the catalog's
// "char" columns), so no database is read: each migration directory keeps the schema it leads
// to (schema.prisma), and the next migration is the diff from that snapshot to the schema.
const previous = existsSync(migrationsDir)
  ? readdirSync(migrationsDir)
      .filter((d) => existsSync(join(migrationsDir, d, 'schema.prisma')))
      .sort()
      .at(-1)
  : undefined;
const schema = readFileSync(schemaPath, 'utf8');
const SchemaEngine = await loadEngine();
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: adminUrl }));
const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
const fromPath = previous ? join(migrationsDir, previous, 'schema.prisma') : undefined;
const result = await engine.diff({
  from: fromPath ? { tag: 'schemaDatamodel', files: [{ path: fromPath, content: readFileSync(fromPath, 'utf8') }] } : { tag: 'empty' },
  to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
const sql = (result.stdout ?? '').trim();

finishMigration({ sql, printOnly, migrationsDir, name, extra: { 'schema.prisma': schema } });
