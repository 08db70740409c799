// PostgreSQL beside SQLite on the same data: the contacts list cases of bench/contacts.ts (the real
// route, in-process through app.inject), search, and a CSV import, each measured on both databases.
//
//   npm run bench:postgres -- [--db FILE] [--pg NAME] [--iterations 15] [--only id,id] [--import-rows 100000] [--write]
//
// --db is the seeded SQLite file (default /tmp/sb-bench-1m/switchboard.db, as bench:contacts seeds it:
// `npm run seed -- --contacts 1000000 --extra-fields 8 --data-dir /tmp/sb-bench-1m`). The PostgreSQL twin
// is database --pg (default sb_bench_1m) on PG_ADMIN_URL; when missing it is created, migrated and
// filled with copySqliteToPostgres (timed; it ends with VACUUM ANALYZE). Drop it afterwards (`dropdb sb_bench_1m`).
// Both sides run the same cases in turn, interleaved, after a warm-up; first pages and counts must be
// equal on both or the run stops. The import (last, it adds contacts) writes new phone numbers.
// --write replaces the "PostgreSQL" section of bench/README.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Job } from '@switchboard/shared';
import { buildApp } from '../server/src/app.ts';
import { loadConfig } from '../server/src/config.ts';
import { openDb, type Db } from '../server/src/db/client.ts';
import { copySqliteToPostgres } from '../server/src/db/copy-to-postgres.ts';
import { migratePostgres } from '../server/src/db/postgres.ts';
import { buildCases, DAY } from './contacts-cases.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opt } = parseArgs({
  options: {
    db: { type: 'string', default: '/tmp/sb-bench-1m/switchboard.db' },
    pg: { type: 'string', default: 'sb_bench_1m' },
    iterations: { type: 'string', default: '15' },
    only: { type: 'string' },
    'import-rows': { type: 'string', default: '100000' },
    write: { type: 'boolean', default: false },
    // Reuse the list and search figures of an earlier run (its --save file) and measure the import only.
    'cases-from': { type: 'string' },
    save: { type: 'string', default: '/tmp/sb-bench-postgres.json' },
  },
});
const ITER = Number(opt.iterations);
const adminUrl = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const pgUrl = Object.assign(new URL(adminUrl), { pathname: `/${opt.pg}` }).href;
const sqliteFile = resolve(opt.db);
const loadAtStart = os.loadavg()[0]!;

// ---------------------------------------------------------------- the PostgreSQL twin

let copyLine = `database ${opt.pg} existed already (copied by an earlier run)`;
{
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opt.pg])).rowCount === 1;
  if (!exists) await admin.query(`CREATE DATABASE ${opt.pg}`);
  await admin.end();
  if (!exists) {
    await migratePostgres(pgUrl);
    const source = new Database(sqliteFile, { readonly: true });
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    const t0 = performance.now();
    let last = 0;
    const counts = await copySqliteToPostgres(source, client, ({ table, rows }) => {
      if (performance.now() - last > 10_000) (last = performance.now()), console.log(`  copying ${table}: ${rows.toLocaleString('en-US')} rows`);
    });
    const copyMs = performance.now() - t0;
    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    copyLine = `copied ${rows.toLocaleString('en-US')} rows in ${(copyMs / 1000).toFixed(0)} s (${Math.round(rows / (copyMs / 1000)).toLocaleString('en-US')} rows/s, indexes maintained as they go, VACUUM ANALYZE of each table included)`;
    console.log(copyLine);
    await client.end();
    source.close();
  }
}

// ---------------------------------------------------------------- both apps

interface Side {
  name: 'SQLite' | 'PostgreSQL';
  app: Awaited<ReturnType<typeof buildApp>>;
  db: Db;
  close(): Promise<void>;
  cookie: string;
  ws: number;
  dataDir: string;
}

async function side(name: Side['name'], databaseUrl: string): Promise<Side> {
  const dataDir = name === 'SQLite' ? dirname(sqliteFile) : mkdtempSync(join(os.tmpdir(), 'sb-bench-pg-'));
  const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl, SEED_DEMO: '0', LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '1000' });
  const db = await openDb(config.databaseUrl);
  const app = await buildApp({ config, db, logger: false, webRoot: join(dataDir, 'no-web-build'), jobs: { pollMs: 50, progressMs: 500 } });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'lead@demo.test', password: 'switchboard' } });
  const session = login.cookies.find((c) => c.name === 'sb_session');
  if (!session) throw new Error(`${name}: login failed ${login.statusCode} ${login.body}`);
  const cookie = `sb_session=${session.value}`;
  const workspaces = JSON.parse((await app.inject({ url: '/api/workspaces', headers: { cookie } })).body) as { id: string; name: string }[];
  const ws = Number(workspaces.find((w) => w.name === 'Acme Support')?.id);
  return { name, app, db, cookie, ws, dataDir, close: async () => (await app.close(), await db.close()) };
}

const lite = await side('SQLite', `file:${sqliteFile}`);
const post = await side('PostgreSQL', pgUrl);
const sides = [lite, post];

// The cases' context from the SQLite file (the copy keeps every id).
const raw = new Database(sqliteFile, { readonly: true });
const ids = (sql: string) => new Map(raw.prepare(sql).raw().all(lite.ws) as [string, number][]);
const tagIds = ids('SELECT name, id FROM Tag WHERE workspaceId = ?');
const fieldIds = ids('SELECT key, id FROM CustomField WHERE workspaceId = ?');
const range = raw.prepare('SELECT min(id) lo, max(id) hi FROM Contact WHERE workspaceId = ?').get(lite.ws) as { lo: number; hi: number };
const sampleEmail = raw
  .prepare('SELECT email FROM Contact WHERE workspaceId = ? AND id >= ? AND email IS NOT NULL ORDER BY id LIMIT 1')
  .pluck()
  .get(lite.ws, range.lo + Math.floor((range.hi - range.lo) * 0.1234)) as string;
const contacts = raw.prepare('SELECT count(*) FROM Contact WHERE workspaceId = ?').pluck().get(lite.ws) as number;
raw.close();
const startedAt = Date.now();
let cases = buildCases({
  ws: lite.ws,
  tag: (n) => tagIds.get(n)!,
  field: (k) => fieldIds.get(k)!,
  day: (offset) => new Date(startedAt + offset * DAY).toISOString().slice(0, 10),
  sample: { email: sampleEmail, namePrefix: 'mar' },
});
if (opt.only) cases = cases.filter((c) => opt.only!.split(',').includes(c.id));

// ---------------------------------------------------------------- measuring

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN;
interface Timed {
  ms: number;
  body: { items: { id: string }[]; count: { value: number; exact: boolean } };
}
async function time(s: Side, url: string): Promise<Timed> {
  const t0 = performance.now();
  const res = await s.app.inject({ url, headers: { cookie: s.cookie } });
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`${s.name} ${url}: ${res.statusCode} ${res.body}`);
  return { ms, body: res.json() as Timed['body'] };
}
const listUrl = (ws: number, c: { filter?: unknown; sort: string; q?: string }) => {
  const qs = new URLSearchParams({ sort: c.sort, limit: '50' });
  if (c.filter !== undefined) qs.set('filter', JSON.stringify(c.filter));
  if (c.q !== undefined) qs.set('q', c.q);
  return `/api/workspaces/${ws}/contacts?${qs}`;
};

interface Row {
  id: string;
  title: string;
  matches: string;
  sqlite: [number, number];
  postgres: [number, number];
}
async function measure(id: string, title: string, q: { filter?: unknown; sort: string; q?: string }, compare = true): Promise<Row> {
  const times: Record<string, number[]> = { SQLite: [], PostgreSQL: [] };
  let first: Timed['body'] | undefined;
  for (let i = 0; i < ITER + 2; i++) {
    for (const s of i % 2 ? [post, lite] : sides) {
      const r = await time(s, listUrl(s.ws, q));
      if (i >= 2) times[s.name]!.push(r.ms);
      if (i === 0 && s === lite) first = r.body;
      if (compare && i === 0 && s === post && first) {
        const same = JSON.stringify(r.body.items.map((x) => x.id)) === JSON.stringify(first.items.map((x) => x.id));
        if (!same || JSON.stringify(r.body.count) !== JSON.stringify(first.count)) {
          throw new Error(`${id}: PostgreSQL and SQLite disagree: ${JSON.stringify(r.body.count)} vs ${JSON.stringify(first.count)}, first ids ${r.body.items.slice(0, 3).map((x) => x.id)} vs ${first.items.slice(0, 3).map((x) => x.id)}`);
        }
      }
    }
  }
  const st = (xs: number[]) => [pct(xs, 50), pct(xs, 95)] as [number, number];
  const row = { id, title, matches: `${first!.count.value.toLocaleString('en-US')}${first!.count.exact ? '' : '+'}`, sqlite: st(times.SQLite!), postgres: st(times.PostgreSQL!) };
  console.log(`${id.padEnd(18)} SQLite p50 ${row.sqlite[0].toFixed(1)} p95 ${row.sqlite[1].toFixed(1)} | PostgreSQL p50 ${row.postgres[0].toFixed(1)} p95 ${row.postgres[1].toFixed(1)} ms  (${row.matches})`);
  return row;
}

let rows: Row[] = [];
let searches: Row[] = [];
if (opt['cases-from']) {
  ({ rows, searches } = JSON.parse(readFileSync(opt['cases-from'], 'utf8')) as { rows: Row[]; searches: Row[] });
} else {
  for (const c of cases) rows.push(await measure(c.id, c.title, { filter: c.filter, sort: c.sort }));
  // Search ranks within the candidates each index finds; the first page may differ in order, not in kind.
  for (const q of ['maria', 'jonh smiht', 'garcia@', '0612', 'xavier gar']) searches.push(await measure(`q=${q}`, `search "${q}"`, { sort: 'lastInteractionAt:desc', q }, false));
  writeFileSync(opt.save, JSON.stringify({ rows, searches }));
}

// ---------------------------------------------------------------- import

interface ImportRun {
  name: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}
async function importOn(s: Side, rowsWanted: number): Promise<ImportRun> {
  const base = 70_000_000 + (Date.now() % 20_000_000);
  const lines = ['First name,Last name,Phone,Email,Tags'];
  for (let i = 0; i < rowsWanted; i++) lines.push(`Bench${i},Import,+33 7 ${base + i},bench${base + i}@import.test,imported;b${i % 9}`);
  const file = join(s.dataDir, `bench-import-${s.name}.csv`);
  writeFileSync(file, lines.join('\n') + '\n');
  const boundary = '----sbbench';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    readFileSync(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  rmSync(file);
  const up = await s.app.inject({ method: 'POST', url: `/api/workspaces/${s.ws}/imports`, headers: { cookie: s.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
  if (up.statusCode !== 201) throw new Error(`${s.name} upload: ${up.statusCode} ${up.body}`);
  const jobId = (up.json() as { jobId: string }).jobId;
  const t0 = performance.now();
  const start = await s.app.inject({
    method: 'POST',
    url: `/api/workspaces/${s.ws}/imports/${jobId}/start`,
    headers: { cookie: s.cookie },
    payload: { mapping: { 'First name': 'firstName', 'Last name': 'lastName', Phone: 'phone', Email: 'email', Tags: 'tags' }, channel: 'sms', defaultCountry: 'FR', onExisting: 'skip' },
  });
  if (start.statusCode !== 202) throw new Error(`${s.name} start: ${start.statusCode} ${start.body}`);
  let job: Job;
  for (;;) {
    job = (await s.app.inject({ url: `/api/workspaces/${s.ws}/jobs/${jobId}`, headers: { cookie: s.cookie } })).json() as Job;
    if (!['queued', 'running'].includes(job.status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - t0) / 1000;
  // A generated phone may already belong to a seeded contact: skipped, as asked (onExisting: skip).
  if (job.status !== 'completed' || job.counts.read !== rowsWanted || job.counts.created + job.counts.skipped !== rowsWanted) throw new Error(`${s.name} import: ${JSON.stringify(job)}`);
  const run = { name: s.name, rows: rowsWanted, seconds, rowsPerSecond: Math.round(rowsWanted / seconds) };
  // Back to the seeded set, so later runs (and bench:contacts) measure the same data.
  await s.db.sql.run('DELETE FROM Contact WHERE importJobId = ?', [Number(jobId)]);
  console.log(`import ${s.name}: ${rowsWanted.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s = ${run.rowsPerSecond.toLocaleString('en-US')} rows/s`);
  return run;
}
const imports: ImportRun[] = [];
for (const s of sides) imports.push(await importOn(s, Number(opt['import-rows'])));

for (const s of sides) await s.close();
rmSync(post.dataDir, { recursive: true, force: true });

// ---------------------------------------------------------------- report

const f = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const table = (list: Row[]) =>
  ['| case | matches | SQLite p50 / p95 | PostgreSQL p50 / p95 | PostgreSQL ÷ SQLite (p50) |', '|---|---|---|---|---|']
    .concat(list.map((r) => `| ${r.title} | ${r.matches} | ${f(r.sqlite[0])} / ${f(r.sqlite[1])} ms | ${f(r.postgres[0])} / ${f(r.postgres[1])} ms | ${(r.postgres[0] / r.sqlite[0]).toFixed(1)}× |`))
    .join('\n');
const section = [
  `Measured ${new Date(startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC on ${contacts.toLocaleString('en-US')} contacts (the bench:contacts seed), ` +
    `${os.cpus().length} cores, load ${loadAtStart.toFixed(1)} at start, PostgreSQL on the same machine; ${ITER} interleaved runs per case after 2 warm-ups. ` +
    `PostgreSQL set: ${copyLine}.`,
  '',
  '```sh',
  `npm run bench:postgres -- --iterations ${ITER} --import-rows ${opt['import-rows']} --write`,
  '```',
  '',
  'Contacts list, first page of 50 with its count, through the route (in-process); both databases gave the same rows and counts:',
  '',
  table(rows),
  '',
  'Search (first page; the candidates each index yields may rank differently):',
  '',
  table(searches),
  '',
  `Import of ${Number(opt['import-rows']).toLocaleString('en-US')} new contacts (phone, name, e-mail, two tags) into the same database, through the route and the job runner:`,
  '',
  '| database | rows/s | time |',
  '|---|---|---|',
  ...imports.map((r) => `| ${r.name} | ${r.rowsPerSecond.toLocaleString('en-US')} | ${r.seconds.toFixed(1)} s |`),
].join('\n');
console.log(`\n${section}`);
if (opt.write) {
  const file = join(here, 'README.md');
  const BEGIN = '<!-- postgres:begin -->';
  const END = '<!-- postgres:end -->';
  let text = readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) text = `${text.slice(0, a + BEGIN.length)}\n${section}\n${text.slice(b)}`;
  else text = `${text.trimEnd()}\n\n## PostgreSQL\n\n${BEGIN}\n${section}\n${END}\n`;
  writeFileSync(file, text);
}
