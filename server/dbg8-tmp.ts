import { openDb } from './src/db/client.ts';
import * as C from './src/features/search/candidates.ts';
import * as O from './src/features/search/overlap.ts';
import * as R from './src/features/search/rank.ts';
import { exactExpr, typoExpr, trigrams } from './src/features/search/fts-query.ts';
import { normalizeQuery } from './src/features/search/normalize.ts';
import { searchContacts } from './src/features/search/service.ts';
const db = await openDb('file:/tmp/sb-search-1m/switchboard.db');
const conn = db.conn;
const T = <X>(l: string, f: () => X): X => { const t = performance.now(); const r = f(); process.stdout.write(`${l} ${(performance.now() - t).toFixed(1)}  `); return r; };
for (let round = 0; round < 2; round++) for (const raw of process.argv.slice(2)) {
  const q = normalizeQuery(raw);
  process.stdout.write(raw.padEnd(34));
  const ex = T('exact', () => C.matchNewest(conn, exactExpr(q.words, q.text)!, 1, 2000));
  const pe = T('prex', () => R.preRank(ex, q.text, 300));
  const ty = T('typo', () => C.matchNewest(conn, typoExpr(q.words)!, 1, 2000));
  const ov = T('overlap', () => O.matchOverlap(conn, trigrams(q.words), 1, 300));
  const pr = T('prerank', () => R.preRank([...ty, ...ov], q.text, 300));
  T('fuse', () => R.rankCandidates([...pe, ...pr].slice(0, 300), q));
  const t = performance.now(); await searchContacts(db, 1, raw, { limit: 20 }); process.stdout.write(`ALL ${(performance.now() - t).toFixed(1)}`);
  console.log();
}
await db.close();
