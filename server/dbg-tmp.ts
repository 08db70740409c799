import Database from 'better-sqlite3';
import { exactExpr, typoExpr, trigramExpr, phoneExpr } from './src/features/search/fts-query.ts';
import { normalizeQuery } from './src/features/search/normalize.ts';
import { matchNewest, matchBest, countMatches } from './src/features/search/candidates.ts';
const conn = new Database('/tmp/sb-search-1m/switchboard.db', { readonly: true });
const time = <T>(label: string, f: () => T) => { const t = performance.now(); const r = f(); console.log(label.padEnd(10), (performance.now() - t).toFixed(1).padStart(7), 'ms', Array.isArray(r) ? r.length : r); return r; };
for (const raw of process.argv.slice(2)) {
  const q = normalizeQuery(raw);
  console.log('==', raw, JSON.stringify(q));
  const e = exactExpr(q.words, q.text)!; const t = typoExpr(q.words)!; const g = trigramExpr(q.words)!;
  console.log(' typo:', t); 
  time('exact', () => matchNewest(conn, e, 1, 300));
  time('count', () => countMatches(conn, e, 1, 1000));
  time('typo', () => matchNewest(conn, t, 1, 300));
  time('grams', () => matchBest(conn, g, 1, 300));
}
