// Generates the Prisma client offline. The CLI insists on locating a native schema engine
// before it runs even `generate` (which does not use it), and these machines cannot download
// one; any existing file satisfies the check.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// The SQLite client from the schema we edit, then the PostgreSQL twin (rewritten from it first,
// so the two never drift; see postgres-schema.mjs).
const schemas = ['prisma/schema.prisma', 'prisma/postgres/schema.prisma'];
const twin = spawnSync(process.execPath, ['prisma/tools/postgres-schema.mjs'], { cwd: root, stdio: 'inherit' });
if (twin.status !== 0) process.exit(twin.status ?? 1);
for (const schema of schemas) {
  const result = spawnSync('npx', ['--no-install', 'prisma', 'generate', '--schema', schema], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
