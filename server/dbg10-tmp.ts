import { openDb } from './src/db/client.ts';
import * as C from './src/features/search/candidates.ts';
import * as O from './src/features/search/overlap.ts';
import * as R from './src/features/search/rank.ts';
import { exactExpr, typoExpr, trigrams, phoneExpr } from './src/features/search/fts-query.ts';
import { normalizeQuery } from './src/features/search/normalize.ts';
import { searchContacts } from './src/features/search/service.ts';
import { Rng } from './src/seed/rng.ts';
import { queryFor, queryKinds, type Target } from './test/search-queries.ts';
const db = await openDb('file:/tmp/sb-search-1m/switchboard.db');
const conn = db.conn;
const rng = new Rng(11);
const at = conn.prepare('SELECT id, firstName, lastName, email, phone FROM Contact WHERE id >= ? ORDER BY id LIMIT 1'); at.safeIntegers(false);
const kinds = Object.keys(queryKinds);
const qs: string[] = [];
while (qs.length < 400) { const t = at.get(1 + rng.int(1000000)) as Target; const k = kinds[rng.int(kinds.length)]!; const q = queryFor(k, t, rng.u32()); if (q) qs.push(q); }
for (const q of qs.slice(0, 30)) await searchContacts(db, 1, q, { limit: 20 });
const rows: [number, string][] = [];
for (const raw of qs) {
  const t0 = performance.now(); await searchContacts(db, 1, raw, { limit: 20 }); const all = performance.now() - t0;
  if (all < 35) continue;
  const q = normalizeQuery(raw); const parts: string[] = [];
  const T = <X>(l: string, f: () => X): X => { const t = performance.now(); const r = f(); parts.push(`${l} ${(performance.now() - t).toFixed(1)}`); return r; };
  if (q.digits) { rows.push([all, `${raw} PHONE`]); continue; }
  const ex = T('exact', () => C.matchNewest(conn, exactExpr(q.words, q.text)!, 1, 2000));
  parts.push(`n=${ex.length}`);
  if (ex.length < 20) {
    const ty = T('typo', () => C.matchNewest(conn, typoExpr(q.words) ?? '"zzzzz"', 1, 2000)); parts.push(`n=${ty.length}`);
    const ov = T('overlap', () => O.matchOverlap(conn, trigrams(q.words), 1, 300));
    const pr = T('prerank', () => R.preRank([...ty, ...ov], q.text, 300));
    T('fuse', () => R.rankCandidates([...ex, ...pr].slice(0, 300), q));
  }
  rows.push([all, `${raw.padEnd(34)} ${parts.join('  ')}`]);
}
rows.sort((a, b) => b[0] - a[0]);
for (const [t, s] of rows) console.log(t.toFixed(1).padStart(6), s);
await db.close();
