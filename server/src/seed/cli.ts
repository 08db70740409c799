// npm run seed -- [--contacts N] [--conversations N] [--seed N] [--now ISO|ms] [--data-dir DIR] [--extra-fields N] [--force]
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate, openSqlite } from '../db/sqlite.ts';
import { extraFieldDefs } from './fields.ts';
import { demoLogins, demoPassword, seedDemo } from './generate.ts';

const usage = `Usage: npm run seed -- [options]
  --contacts N        contacts to create (default 2000)
  --conversations N   conversations on recently active contacts (default 300)
  --seed N            random seed; same seed and --now give the same data (default 42)
  --now TIME          reference time, ISO date or unix ms (default: current time)
  --data-dir DIR      database goes to DIR/switchboard.db (default: $DATA_DIR or <repo>/data;
                      without this flag, DATABASE_URL=file:... names the file instead)
  --batch-size N      contacts per savepoint and progress line (default 50000)
  --extra-fields N    N more custom fields of mixed types beyond the default 12, 0-${extraFieldDefs.length}
                      (default 0; the benchmarks use 8 for ~20 fields)
  --force             seed even if the database already has a workspace`;

/** Bad flags: printed with the usage text. */
class UsageError extends Error {}
/** A reason not to seed this database: printed alone. */
class RefusedError extends Error {}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// npm runs workspace scripts inside server/; relative paths mean where the user typed the command.
const userCwd = process.env.INIT_CWD ?? process.cwd();

function count(flag: string, raw: string | undefined, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (raw.trim() === '' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function time(raw: string | undefined): number {
  if (raw === undefined) return Date.now();
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(value)) throw new UsageError(`--now must be an ISO date or unix milliseconds, got "${raw}"`);
  return value;
}

function databaseFile(dataDirFlag: string | undefined): string {
  if (dataDirFlag !== undefined) return join(resolve(userCwd, dataDirFlag), 'switchboard.db');
  const url = process.env.DATABASE_URL;
  if (url) {
    if (!url.startsWith('file:')) throw new UsageError(`DATABASE_URL must be a file: URL for SQLite, got "${url}"`);
    return resolve(userCwd, url.slice('file:'.length));
  }
  return join(process.env.DATA_DIR ? resolve(userCwd, process.env.DATA_DIR) : join(repoRoot, 'data'), 'switchboard.db');
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const n = (value: number) => value.toLocaleString('en-US');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      contacts: { type: 'string' },
      conversations: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
      'data-dir': { type: 'string' },
      'batch-size': { type: 'string' },
      'extra-fields': { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const options = {
    contacts: count('contacts', values.contacts, 2_000),
    conversations: count('conversations', values.conversations, 300),
    seed: count('seed', values.seed, 42, 0, 2 ** 32 - 1),
    now: time(values.now),
    batchSize: count('batch-size', values['batch-size'], 50_000, 1),
    extraFields: count('extra-fields', values['extra-fields'], 0, 0, extraFieldDefs.length),
  };
  const file = databaseFile(values['data-dir']);

  const started = performance.now();
  migrate(file);
  const db = openSqlite(file);
  try {
    const workspaces = db.prepare('SELECT count(*) FROM Workspace').pluck().get() as number;
    if (workspaces > 0 && !values.force) {
      throw new RefusedError(
        `${file} already has ${workspaces} workspace(s); the seed is meant for an empty database.\n` +
          'Pass --force to add another demo workspace anyway, or --data-dir to seed a fresh directory.',
      );
    }
    console.log(`Seeding ${file} (seed ${options.seed}, now ${new Date(options.now).toISOString()})`);
    const summary = await seedDemo(db, { ...options, log: (msg) => console.log(`  ${msg}`) });
    // Statistics for the query planner. Not sampled: `analysis_limit` reads only the first rows of
    // each index, and those of (workspaceId, …) and (fieldId, …) indexes all share their leading
    // values, so every index looked unselective (an e-mail lookup scanned a million contacts, 3.7 s
    // instead of 1.5 ms). The full ANALYZE takes ~8 s at a million contacts.
    db.exec('ANALYZE');
    db.pragma('wal_checkpoint(TRUNCATE)');

    const seconds = (performance.now() - started) / 1000;
    const rows = summary.contacts + summary.contactTags + summary.fieldValues + summary.contactSequences +
      summary.contactTopics + summary.notes + summary.conversations + summary.messages;
    const size = fileSize(file) + fileSize(`${file}-wal`);
    console.log(`
Workspace ${summary.workspaceId} "Acme Support"
  contacts        ${n(summary.contacts)}
  field values    ${n(summary.fieldValues)} (${summary.fields} fields)
  contact tags    ${n(summary.contactTags)} (${summary.tags} tags)
  sequences       ${n(summary.contactSequences)}
  OTN topics      ${n(summary.contactTopics)}
  notes           ${n(summary.notes)}
  conversations   ${n(summary.conversations)}
  messages        ${n(summary.messages)}
Done in ${seconds.toFixed(1)} s: ${n(rows)} rows, ${n(Math.round(rows / seconds))} rows/s, ${n(Math.round(summary.contacts / seconds))} contacts/s
Database ${mb(size)} (incl. -wal), peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}
Logins (password "${demoPassword}"):
${demoLogins.map((l) => `  ${l.email.padEnd(22)} ${l.role}`).join('\n')}`);
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(`seed: ${err.message}\n\n${usage}`);
    process.exitCode = 2;
  } else if (err instanceof RefusedError) {
    console.error(`seed: ${err.message}`);
    process.exitCode = 1;
  } else {
    console.error(err);
    process.exitCode = 1;
  }
});
