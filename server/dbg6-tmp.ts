import { openDb } from './src/db/client.ts';
import { searchContacts } from './src/features/search/service.ts';
const db = await openDb('file:/tmp/sb-search-1m/switchboard.db');
const get = db.conn.prepare('SELECT nameKey, email, phone FROM Contact WHERE id = ?'); get.safeIntegers(false);
for (const q of process.argv.slice(2)) {
  const t = performance.now();
  const r = await searchContacts(db, 1, q, { limit: 20 });
  console.log(`== ${q} (${(performance.now() - t).toFixed(1)}ms) total ${r.total} exact ${r.exact}`);
  for (const id of r.ids.slice(0, 6)) console.log('  ', id, Object.values(get.get(id) as object).join(' | '));
}
await db.close();
