// npm run backup -- [--out FILE]
// An online backup of the database the server uses (DATABASE_URL or DATA_DIR, as `npm start`),
// safe while it runs. Restoring: README.md, "Backups".
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { sqlitePath } from '../db/sqlite.ts';
import { backupDatabase } from './backup.ts';

// npm runs workspace scripts inside server/; relative paths mean where the user typed the command.
const userCwd = process.env.INIT_CWD ?? process.cwd();

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log('Usage: npm run backup -- [--out FILE]   (default: DATA_DIR/backups/switchboard-<time>.db)');
    return;
  }
  const config = loadConfig({ ...process.env, DATA_DIR: process.env.DATA_DIR ? resolve(userCwd, process.env.DATA_DIR) : undefined });
  if (!config.databaseUrl.startsWith('file:')) throw new Error('npm run backup copies the SQLite database; for PostgreSQL use pg_dump');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = values.out ? resolve(userCwd, values.out) : resolve(config.dataDir, 'backups', `switchboard-${stamp}.db`);
  const r = await backupDatabase(sqlitePath(config.databaseUrl), out);
  console.log(`Backed up ${sqlitePath(config.databaseUrl)} to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s)`);
}

main().catch((err: Error) => {
  console.error(`Backup failed: ${err.message}`);
  process.exit(1);
});
