// Prisma's schema engine as WebAssembly (the CLI's native engine cannot be downloaded here).
// The package's own `.wasm` import does not load on Node 20, so it is instantiated by hand.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export async function loadEngine() {
  // The package exports no package.json, so locate it through its JS entry.
  const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const pkgDir = dirname(bgPath);
  const bg = await import(bgPath);
  const bytes = readFileSync(join(pkgDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bg });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bg.SchemaEngine;
}

/**
 * The end of both diff tools: nothing to do, print the SQL (--print), or write it as a new
 * migration `<timestamp>_<name>/migration.sql` with any extra files (the PostgreSQL schema snapshot).
 * @param {{ sql: string, printOnly: boolean, migrationsDir: string, name: string | undefined, extra?: Record<string, string> }} o
 */
export function finishMigration({ sql, printOnly, migrationsDir, name, extra = {} }) {
  if (!sql || /^-- This is an empty migration/.test(sql)) {
    console.log('Schema and migrations agree: nothing to write.');
    return;
  }
  if (printOnly) {
    console.log(sql);
    return;
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), sql + '\n');
  for (const [file, text] of Object.entries(extra)) writeFileSync(join(dir, file), text);
  console.log(`Wrote ${dir}/migration.sql`);
}
