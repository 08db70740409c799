import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactSorts, type ContactSort } from '@switchboard/shared';
import { compilePredicate, validateFilter, type Filter } from '@switchboard/shared/filter/index';
import { countContacts } from '../src/features/contacts/count.ts';
import { decodeCursor, sortSpecs } from '../src/features/contacts/cursor.ts';
import { toListFilter, type ListFilter } from '../src/features/contacts/filter.ts';
import type { Catalogue } from '../src/features/catalogue/service.ts';
import { pageRows } from '../src/features/contacts/page.ts';
import { NOW, contactsArb, filterArb } from './filter.arbitraries.ts';
import { openFilterDb, type FilterDb } from './filter.fixture.ts';

/**
 * The list's pages and count take different routes by what they find (strategy.ts): from the
 * smallest id list when it is rare; else a walk along the sort index probing each contact,
 * bounded by a window, then the id list; a count reading the smallest id list and checking each
 * contact, or SQLite's own plan. Small thresholds force every switch on a hundred contacts.
 * Following the cursors must give exactly the contacts the evaluator selects, in sort order
 * (value, then id; contacts without a value last, by id), each once, and the count theirs.
 */
const RUNS = Number(process.env.PAGING_PROPERTY_RUNS ?? 60);

let t: FilterDb;
beforeAll(async () => {
  t = await openFilterDb();
});
afterAll(async () => t?.close());

type Key = { id: number; value: string | number | null };
/** SQLite compares text as UTF-8 bytes (BINARY), not as JavaScript's UTF-16 units. */
const cmp = (a: string | number, b: string | number) =>
  typeof a === 'string' && typeof b === 'string' ? Buffer.compare(Buffer.from(a), Buffer.from(b)) : Number(a) - Number(b);

function expectedOrder(sort: ContactSort, matching: Set<number>): number[] {
  const spec = sortSpecs[sort];
  const rows = t.db.conn
    .prepare(`SELECT id, ${spec.column} AS value FROM Contact WHERE workspaceId = ?`)
    .safeIntegers(false)
    .all(t.workspaceId) as Key[];
  const sign = spec.dir === 'DESC' ? -1 : 1;
  const empty = (k: Key) => k.value === null || k.value === '';
  return rows
    .filter((r) => matching.has(r.id))
    .sort((a, b) => {
      if (empty(a) !== empty(b)) return empty(a) ? 1 : -1;
      const byValue = empty(a) ? 0 : cmp(a.value!, b.value!);
      return sign * (byValue || a.id - b.id);
    })
    .map((r) => r.id);
}

const listFilter = (tree: Filter): ListFilter => toListFilter([tree], t.workspaceId, { compile: t.fields } as Catalogue, NOW)!;

describe('list pages and counts', () => {
  it('follow the cursors to exactly the matching contacts in order, whichever way each page is read', async () => {
    await fc.assert(
      fc.asyncProperty(
        contactsArb(120),
        filterArb,
        fc.constantFrom(...contactSorts),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom(1, 2, 5, 30, 20_000),
        fc.constantFrom(0, 1, 3, 40, 10_000),
        fc.constantFrom(0, 2, 10, 10_000),
        async (contacts, tree, sort, limit, walk, rare, cap) => {
          const ids = t.replaceContacts(contacts);
          const checked = validateFilter(tree, t.catalogue);
          if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
          const predicate = compilePredicate(checked.filter, t.catalogue);
          const matching = new Set(ids.filter((_, i) => predicate(contacts[i]!.contact, NOW)));
          const filter = listFilter(checked.filter);

          const seen: number[] = [];
          let cursor: string | null = null;
          for (let pages = 0; pages <= ids.length + 1; pages++) {
            const { page, next } = await pageRows(t.db.sql, t.workspaceId, filter, sort, cursor ? decodeCursor(cursor, sort) : undefined, limit, { walk, rare });
            seen.push(...page.map((r) => r.id));
            expect(page.length).toBeLessThanOrEqual(limit);
            if (next === null) break;
            expect(page.length).toBe(limit);
            cursor = next;
          }
          expect(seen).toEqual(expectedOrder(sort, matching));

          const count = await countContacts(t.db.sql, t.workspaceId, listFilter(checked.filter), { cap, rare });
          expect(count).toEqual(matching.size > cap ? { value: cap, exact: false } : { value: matching.size, exact: true });
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe('a count from an id list', () => {
  it('counts a contact once when it holds several of the listed names ("VIP" and "vip" fold alike)', async () => {
    const contacts = fc.sample(contactsArb(40), { seed: 7, numRuns: 1 })[0]!.map((g, i) => ({
      ...g,
      contact: { ...g.contact, tags: i % 2 ? ['VIP', 'vip'] : i % 3 ? ['vip'] : [] },
    }));
    t.replaceContacts(contacts);
    const expected = contacts.filter((g) => g.contact.tags.length > 0).length;
    const filter = listFilter({ field: 'tags', op: 'hasAnyOf', value: ['vip'] });
    expect(filter.drivers).toHaveLength(1);
    expect(await countContacts(t.db.sql, t.workspaceId, filter)).toEqual({ value: expected, exact: true });
    expect(await countContacts(t.db.sql, t.workspaceId, listFilter({ field: 'tags', op: 'hasAnyOf', value: ['vip'] }), { cap: 3 })).toEqual({ value: 3, exact: false });
  });
});
