// `npm start`: build what is missing or stale, then run the server in this process.
// The server migrates the database and seeds the demo workspace itself on first run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(join(root, 'node_modules'))) {
  console.error('Dependencies are missing: run "npm install" first.');
  process.exit(1);
}

if (!existsSync(join(root, 'server/src/generated/prisma/client.ts'))) {
  console.log('Generating the database client …');
  run('npm', ['run', 'generate', '-w', 'server']);
}

/** Newest modification time of any file under the given paths. */
function newest(paths) {
  let max = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
    else max = Math.max(max, s.mtimeMs);
  };
  paths.forEach((p) => visit(join(root, p)));
  return max;
}

const builtIndex = join(root, 'web/build/index.html');
const sources = ['web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'shared/src'];
if (!existsSync(builtIndex) || statSync(builtIndex).mtimeMs < newest(sources)) {
  console.log('Building the console …');
  run('npm', ['run', 'build', '-w', 'web']);
}

const { register } = await import('tsx/esm/api');
register();
await import('../server/src/server.ts');
