// Dev-time: writes the SQL that takes the checked-in migrations to prisma/schema.prisma.
//   node prisma/tools/diff.mjs <migration_name>   -> prisma/migrations/<timestamp>_<name>/migration.sql
//   node prisma/tools/diff.mjs --print            -> prints the SQL only
// Why not `prisma migrate dev`: the CLI needs a native schema engine that cannot be downloaded
// here. Prisma's schema engine also ships as WebAssembly; its own `.wasm` import does not load
// on Node 20, so it is instantiated by hand. `createMigration` refuses SQLite (no shadow
// database), so we apply the existing migrations to a scratch database and `diff` it against
// the schema.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { applyMigrations } from '../../server/src/db/migrations-runner.mjs';
import { finishMigration, loadEngine } from './engine.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const schemaPath = join(root, 'prisma/schema.prisma');
const migrationsDir = join(root, 'prisma/migrations');

/** An FTS5 table and the shadow tables SQLite creates for it (external content: no _content). */
function ftsTables(name) {
  return [name, ...['config', 'data', 'docsize', 'idx'].map((suffix) => `${name}_${suffix}`)];
}

const args = process.argv.slice(2);
const printOnly = args.includes('--print');
const name = args.find((a) => !a.startsWith('--'));
if (!printOnly && !name) {
  console.error('usage: node prisma/tools/diff.mjs <migration_name> | --print');
  process.exit(2);
}

const scratch = mkdtempSync(join(tmpdir(), 'sb-diff-'));
const dbFile = join(scratch, 'scratch.db');
const db = new Database(dbFile);
applyMigrations(db, migrationsDir);
db.close();

const SchemaEngine = await loadEngine();
const schema = readFileSync(schemaPath, 'utf8');
const url = `file:${dbFile}`;
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaBetterSqlite3({ url }));
const engine = await SchemaEngine.new({ datamodels: [[schemaPath, schema]] }, () => {}, adapter);
const result = await engine.diff({
  // The live scratch database, reached through the adapter the engine was built with.
  from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: schema }], configDir: root },
  to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
  script: true,
  exitCode: null,
  // Tables the schema does not model, which the diff would otherwise drop: the migration log,
  // and the contact search index (an FTS5 virtual table and its shadow tables).
  filters: { externalTables: ['_migrations', ...ftsTables('ContactSearch')], externalEnums: [] },
});
rmSync(scratch, { recursive: true, force: true });

const sql = (result.stdout ?? '').trim();
finishMigration({ sql, printOnly, migrationsDir, name });
