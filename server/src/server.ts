import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { prepareDatabase } from './db/prepare.ts';
import { demoLogins } from './seed/generate.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

// Migrate and, on an empty database, seed the demo workspace before the app opens it.
const { db, applied, hasDemo, where } = await prepareDatabase(config);
const app = await buildApp({ config, db, outbound: {}, jobs: {} });
if (applied.length) app.log.info({ migrations: applied }, 'applied migrations');

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  // app.close stops accepting connections and waits for in-flight requests.
  await app.close();
  await db.close();
});

try {
  await app.listen({ port: config.port, host: config.host });
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  fail(e.code === 'EADDRINUSE' ? `PORT ${config.port} is already in use` : `Cannot listen: ${e.message}`);
}
const port = (app.server.address() as { port: number }).port;
const lines = [``, `Switchboard is running at http://localhost:${port}`, `  API docs: http://localhost:${port}/docs`, `  Data:     ${where}`];
if (hasDemo) {
  lines.push(`  Demo logins (password "switchboard"):`);
  for (const l of demoLogins) lines.push(`    ${l.email.padEnd(24)} ${l.role}`);
}
console.log(lines.join('\n') + '\n');
