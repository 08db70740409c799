// Search quality on the demo data: for each kind of query people type (typos, partial names,
// partial e-mails, phone numbers in several formats), contacts are picked deterministically from
// the seeded database and the query made from them must bring them into the top 3.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { copySqliteToPostgres } from '../src/db/copy-to-postgres.ts';
import { migrate, openSqlite, sqlitePath } from '../src/db/sqlite.ts';
import { normalizeQuery, foldForSearch } from '../src/features/search/normalize.ts';
import { searchContacts } from '../src/features/search/service.ts';
import { seedDemo } from '../src/seed/generate.ts';
import { setupApp, testDatabase, type TestApp } from './helper.ts';
import { queryFor, queryKinds, type Target } from './search-queries.ts';

const PER_KIND = 3;
let t: TestApp;
let workspaceId: number;
let contacts: (Target & { nameKey: string })[];

beforeAll(async () => {
  t = await setupApp();
  // The seed writes SQLite through its own connection (Prisma's returns BigInts: safe integers
  // on). On PostgreSQL it seeds a scratch file, copied in with the same ids.
  const scratch = testDatabase === 'postgres' ? mkdtempSync(join(tmpdir(), 'sb-quality-')) : undefined;
  const file = scratch ? join(scratch, 'seed.db') : sqlitePath(t.config.databaseUrl);
  if (scratch) migrate(file);
  const raw = openSqlite(file);
  try {
    ({ workspaceId } = await seedDemo(raw, { contacts: 3_000, conversations: 0, seed: 42, now: Date.UTC(2026, 10, 1) }));
    if (scratch) {
      const client = new pg.Client({ connectionString: t.config.databaseUrl });
      await client.connect();
      await copySqliteToPostgres(raw, client).finally(() => client.end());
    }
    // A fixed pseudo-random order, so targets spread over the data set yet never change.
    contacts = raw
      .prepare(`SELECT id, firstName, lastName, email, phone, nameKey FROM Contact WHERE workspaceId = ?
        ORDER BY (id * 7919) % 10007`)
      .all(workspaceId) as typeof contacts;
  } finally {
    raw.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}, 120_000);
afterAll(() => t.close());

/**
 * Whether the query can only mean this contact: the plain values it is made from occur in no
 * other contact (as substrings, the way the index matches), else a namesake is as good a hit.
 */
function unambiguous(kind: string, c: Target & { nameKey: string }, q: string): boolean {
  const only = (needle: string, hay: (x: typeof c) => string | null) =>
    contacts.filter((o) => (hay(o) ?? '').includes(needle)).length === 1;
  const field = queryKinds[kind]!.field;
  if (field === 'name') {
    const names = (o: typeof c) => foldForSearch(o.nameKey);
    return [c.firstName, c.lastName].every((part) => part !== null && only(foldForSearch(part), names));
  }
  if (field === 'email') {
    // A plain piece of the address must not be in anyone else's name or address either.
    const plain = c.email!.includes(q) ? q : c.email!.split('@')[0]!;
    return only(plain, (o) => `${o.email ?? ''} ${foldForSearch(o.nameKey)}`);
  }
  const digits = normalizeQuery(q).digits;
  return digits !== null && only(digits, (o) => o.phone);
}

/** So that phone queries cover several numbering plans. */
const country = (phone: string | null) => (phone ? parsePhoneNumberFromString(phone)?.country : undefined) ?? '';

it('brings the intended contact into the top 3 for every kind of query', async () => {
  const cases: { kind: string; q: string; id: number }[] = [];
  for (const [k, kind] of Object.keys(queryKinds).entries()) {
    const countries = new Set<string>();
    // Each kind starts elsewhere in the order, so the kinds test different contacts.
    for (let i = 0, picked = 0; i < contacts.length && picked < PER_KIND; i++) {
      const c = contacts[(k * 101 + i) % contacts.length]!;
      const q = queryFor(kind, c, 1);
      if (q === null || !unambiguous(kind, c, q)) continue;
      if (queryKinds[kind]!.field === 'phone' && countries.has(country(c.phone))) continue;
      countries.add(country(c.phone));
      cases.push({ kind, q, id: c.id });
      picked++;
    }
  }
  expect(cases.length).toBeGreaterThanOrEqual(30);

  const misses: string[] = [];
  let top1 = 0;
  let top3 = 0;
  for (const { kind, q, id } of cases) {
    const { ids } = await searchContacts(t.db, workspaceId, q, { limit: 10 });
    const rank = ids.indexOf(id);
    if (rank === 0) top1++;
    if (rank >= 0 && rank < 3) top3++;
    else {
      const target = contacts.find((c) => c.id === id)!;
      const got = ids.slice(0, 3).map((x) => contacts.find((c) => c.id === x)?.nameKey);
      misses.push(`${kind}: "${q}" -> rank ${rank} (${target.nameKey} <${target.email}> ${target.phone}); top 3: ${got.join(', ')}`);
    }
  }
  console.log(`search quality: top 1 ${top1}/${cases.length}, top 3 ${top3}/${cases.length}`);
  expect(misses).toEqual([]);
});
