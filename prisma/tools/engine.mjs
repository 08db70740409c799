// Prisma's schema engine as WebAssembly (the CLI's native engine cannot be downloaded here).
// The package's own `.wasm` import does not load on Node 20, so it is instantiated by hand.
import { readFileSync } from 'node:fs';
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
