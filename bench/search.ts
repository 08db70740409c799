// Contact search latency against a seeded database, and the LIKE '%q%' scan it replaces.
//   npx tsx bench/search.ts --db /tmp/sb-search-1m/switchboard.db [--queries 400] [--like 30] [--limit 20]
//     [--where "c.country = ?" --params IE] [--misses]
// --where adds a condition the way the contacts page passes its filter (hit@3 then means little).
// Queries are derived from random contacts (server/test/search-queries.ts). "hit@3" counts a
// query as found when the top 3 hold the target or a namesake (same name, e-mail or phone); the
// total counts only the kinds of query that still point at one contact among a million.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openDb } from '../server/src/db/client.ts';
import { searchContacts } from '../server/src/features/search/service.ts';
import { normalizeQuery } from '../server/src/features/search/normalize.ts';
import { Rng } from '../server/src/seed/rng.ts';
import { queryFor, queryKinds, type QueryField, type Target } from '../server/test/search-queries.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    queries: { type: 'string', default: '400' },
    like: { type: 'string', default: '30' },
    limit: { type: 'string', default: '20' },
    seed: { type: 'string', default: '7' },
    misses: { type: 'boolean', default: false },
    where: { type: 'string' },
    params: { type: 'string', default: '' },
  },
});
if (!values.db) {
  console.error('usage: npx tsx bench/search.ts --db <file> [--queries N] [--like N] [--limit N] [--seed N] [--where SQL --params A,B]');
  process.exit(2);
}
const queries = Number(values.queries);
const likeRuns = Number(values.like);
const limit = Number(values.limit);
const rng = new Rng(Number(values.seed));
const where = values.where
  ? { sql: values.where, params: values.params.split(',').filter(Boolean).map((p) => (/^\d+$/.test(p) ? Number(p) : p)) }
  : undefined;

const db = await openDb(`file:${resolve(values.db)}`);
const conn = db.conn;
const q = <T>(sql: string) => {
  const s = conn.prepare(sql);
  s.safeIntegers(false);
  return s as unknown as { get(...a: unknown[]): T; all(...a: unknown[]): T[] };
};
const { workspaceId, lo, hi, n } = q<{ workspaceId: number; lo: number; hi: number; n: number }>(
  'SELECT workspaceId, min(id) lo, max(id) hi, count(*) n FROM Contact GROUP BY workspaceId ORDER BY n DESC LIMIT 1',
).get();
const targetAt = q<Target>('SELECT id, firstName, lastName, email, phone FROM Contact WHERE id >= ? ORDER BY id LIMIT 1');
const valuesOf = q<{ id: number; nameKey: string; email: string | null; phone: string | null }>(
  'SELECT id, nameKey, email, phone FROM Contact WHERE id = ?',
);

interface Sample { kind: string; field: QueryField; q: string; target: Target & { nameKey: string } }
const kinds = Object.keys(queryKinds);
const samples: Sample[] = [];
while (samples.length < queries) {
  const target = targetAt.get(lo + rng.int(hi - lo + 1));
  const kind = kinds[rng.int(kinds.length)]!;
  const text = target && queryFor(kind, target, rng.u32());
  if (!target || !text) continue;
  samples.push({ kind, field: queryKinds[kind]!.field, q: text, target: { ...target, ...valuesOf.get(target.id) } });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

// Warm the page cache and the prepared statements the way a running server would be.
for (const s of samples.slice(0, 30)) await searchContacts(db, workspaceId, s.q, { limit, where });

const times: number[] = [];
const byKind = new Map<string, { times: number[]; hits: number }>();
let hits = 0;
let specific = 0;
for (const s of samples) {
  const t0 = performance.now();
  const res = await searchContacts(db, workspaceId, s.q, { limit, where });
  const t = performance.now() - t0;
  times.push(t);
  const want = s.field === 'name' ? s.target.nameKey : s.target[s.field];
  const hit = res.ids.slice(0, 3).some((id) => {
    const v = valuesOf.get(id);
    return id === s.target.id || (s.field === 'name' ? v.nameKey : v[s.field]) === want;
  });
  if (queryKinds[s.kind]!.specific) {
    specific++;
    if (hit) hits++;
    else if (values.misses) console.log(`miss ${s.kind}: "${s.q}" (${s.target.nameKey} <${s.target.email}> ${s.target.phone})`);
  }
  const k = byKind.get(s.kind) ?? { times: [], hits: 0 };
  k.times.push(t);
  if (hit) k.hits++;
  byKind.set(s.kind, k);
}

// The scan this replaces: every contact's name, e-mail and phone tested against '%q%'.
const likeScan = q<{ id: number }>(
  `SELECT id FROM Contact WHERE workspaceId = ?
     AND (nameKey LIKE ? ESCAPE '\\' OR email LIKE ? ESCAPE '\\' OR phone LIKE ? ESCAPE '\\')`,
);
const likeTimes: number[] = [];
for (const s of samples.slice(0, likeRuns)) {
  const norm = normalizeQuery(s.q);
  const pattern = `%${(norm.digits ?? s.q.toLowerCase()).replace(/[\\%_]/g, '\\$&')}%`;
  const t0 = performance.now();
  likeScan.all(workspaceId, pattern, pattern, pattern);
  likeTimes.push(performance.now() - t0);
}
const searchSubset = times.slice(0, likeRuns);

console.log(`${n.toLocaleString('en-US')} contacts in workspace ${workspaceId}, ${queries} queries, limit ${limit}${where ? `, where ${where.sql} [${where.params}]` : ''}`);
console.log(`search   p50 ${ms(pct(times, 50))}  p95 ${ms(pct(times, 95))}  p99 ${ms(pct(times, 99))}  max ${ms(Math.max(...times))}`);
console.log(`hit@3    ${hits}/${specific} (${((100 * hits) / specific).toFixed(1)} %) of the specific queries`);
if (likeRuns > 0) {
  console.log(`LIKE     p50 ${ms(pct(likeTimes, 50))}  p95 ${ms(pct(likeTimes, 95))}  (the first ${likeRuns} queries)`);
  const ratio = (p: number) => (pct(likeTimes, p) / pct(searchSubset, p)).toFixed(0);
  console.log(`ratio    p50 ${ratio(50)}x  p95 ${ratio(95)}x (search on the same ${likeRuns} queries)`);
}
console.log('\nkind                           n   p50 ms   p95 ms   max ms   hit@3');
for (const [kind, k] of [...byKind].sort()) {
  console.log(
    `${kind.padEnd(28)} ${String(k.times.length).padStart(4)} ${pct(k.times, 50).toFixed(1).padStart(8)} ${pct(k.times, 95).toFixed(1).padStart(8)} ${Math.max(...k.times).toFixed(1).padStart(8)}   ${k.hits}/${k.times.length}`,
  );
}
await db.close();
