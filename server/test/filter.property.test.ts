import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePredicate, validateFilter, type Filter } from '@switchboard/shared/filter/index';
import { compileFilter, type SubqueryForm } from '../src/features/filter/compile.ts';
import { NOW, contactsArb, filterArb } from './filter.arbitraries.ts';
import { openFilterDb, type FilterDb, type GenContact } from './filter.fixture.ts';
import { openPgFilterDb, type PgFilterDb } from './filter.fixture-pg.ts';
import { postgresAvailable } from './support/postgres.ts';

const withPostgres = await postgresAvailable();

/**
 * The SQL back end and the in-memory evaluator must select the same contacts for any tree.
 * Each run writes a fresh random contact set (up to 300) and checks a batch of random trees
 * against it; on a difference fast-check shrinks both the contacts and the trees, and the error
 * names the smallest tree and the contacts on which the two back ends disagree.
 */
// FILTER_PROPERTY_RUNS=5000 for a longer soak; a failure prints the seed to replay.
const RUNS = Number(process.env.FILTER_PROPERTY_RUNS ?? 300);
const TREES_PER_RUN = 10;

let t: FilterDb;
beforeAll(async () => {
  t = await openFilterDb();
});
afterAll(async () => t?.close());

/** Every way the compiler can write custom-field and set conditions must select the same rows. */
const forms: SubqueryForm[] = ['list', 'probe', 'drive'];

function compare(contacts: GenContact[], tree: Filter, ids: number[]): { sql: number[]; memory: number[] } {
  const checked = validateFilter(tree, t.catalogue);
  if (!checked.ok) throw new Error(`generated an invalid tree: ${JSON.stringify(checked.issues)}\n${JSON.stringify(tree)}`);
  const predicate = compilePredicate(checked.filter, t.catalogue);
  const memory = ids.filter((_, i) => predicate(contacts[i]!.contact, NOW));
  let sql: number[] = [];
  for (const form of forms) {
    const { where, params } = compileFilter(checked.filter, { workspaceId: t.workspaceId, fields: t.fields, now: NOW, form });
    sql = t.select(where, params);
    if (sql.join() !== memory.join()) fail(form, where, params, sql);
  }
  return { sql, memory };

  function fail(form: SubqueryForm, where: string, params: (string | number)[], sql: number[]): never {
    const only = (a: number[], b: number[]) => a.filter((id) => !b.includes(id));
    const show = (id: number) => JSON.stringify(contacts[ids.indexOf(id)]!.contact);
    throw new Error(
      [
        `SQL (form ${form}) and evaluator disagree on ${JSON.stringify(tree)}`,
        `where: ${where}`,
        `params: ${JSON.stringify(params)}`,
        ...only(sql, memory).map((id) => `  only SQL: ${show(id)}`),
        ...only(memory, sql).map((id) => `  only evaluator: ${show(id)}`),
      ].join('\n'),
    );
  }
}

describe('filter back ends agree', () => {
  it(`on ${RUNS * TREES_PER_RUN} random trees over random contacts`, () => {
    let trees = 0;
    let nonTrivial = 0;
    fc.assert(
      fc.property(contactsArb(300), fc.array(filterArb, { minLength: TREES_PER_RUN, maxLength: TREES_PER_RUN }), (contacts, batch) => {
        const ids = t.replaceContacts(contacts);
        for (const tree of batch) {
          const { sql } = compare(contacts, tree, ids);
          trees++;
          if (sql.length > 0 && sql.length < ids.length) nonTrivial++;
        }
      }),
      { numRuns: RUNS },
    );
    expect(trees).toBeGreaterThanOrEqual(RUNS * TREES_PER_RUN);
    // Values come from the same pools as the data, so most trees split the contacts.
    expect(nonTrivial / trees).toBeGreaterThan(0.4);
    console.info(`filter property: ${trees} trees, ${Math.round((100 * nonTrivial) / trees)}% matched some but not all contacts`);
  }, 600_000);
});

// PostgreSQL: a round trip per query, so fewer runs by default (FILTER_PROPERTY_PG_RUNS).
const PG_RUNS = Number(process.env.FILTER_PROPERTY_PG_RUNS ?? 60);

describe.runIf(withPostgres)('filter back ends agree on PostgreSQL', () => {
  let p: PgFilterDb;
  beforeAll(async () => {
    p = await openPgFilterDb();
  });
  afterAll(async () => p?.close());

  it(`SQL(PostgreSQL) = SQL(SQLite) = evaluator on ${PG_RUNS * TREES_PER_RUN} random trees, in every subquery form`, async () => {
    let trees = 0;
    let nonTrivial = 0;
    await fc.assert(
      fc.asyncProperty(contactsArb(300), fc.array(filterArb, { minLength: TREES_PER_RUN, maxLength: TREES_PER_RUN }), async (contacts, batch) => {
        const liteIds = t.replaceContacts(contacts);
        const pgIds = await p.replaceContacts(contacts);
        for (const tree of batch) {
          // SQLite against the evaluator (throws with the smallest difference), then PostgreSQL
          // against the same rows: positions in the generated list, since the ids differ.
          const { memory } = compare(contacts, tree, liteIds);
          const want = memory.map((id) => liteIds.indexOf(id));
          const checked = validateFilter(tree, p.catalogue);
          if (!checked.ok) throw new Error('generated an invalid tree');
          for (const form of forms) {
            const { where, params } = compileFilter(checked.filter, { workspaceId: p.workspaceId, fields: p.fields, now: NOW, form, dialect: 'postgres' });
            const got = (await p.select(where, params)).map((id) => pgIds.indexOf(id));
            if (got.join() !== want.join()) {
              throw new Error(`PostgreSQL (form ${form}) disagrees on ${JSON.stringify(tree)}\nwhere: ${where}\nparams: ${JSON.stringify(params)}\nPostgreSQL: ${got}\nSQLite and evaluator: ${want}`);
            }
          }
          trees++;
          if (want.length > 0 && want.length < contacts.length) nonTrivial++;
        }
      }),
      { numRuns: PG_RUNS },
    );
    expect(trees).toBe(PG_RUNS * TREES_PER_RUN);
    expect(nonTrivial / trees).toBeGreaterThan(0.4);
    console.info(`filter property on PostgreSQL: ${trees} trees × ${forms.length} forms, ${Math.round((100 * nonTrivial) / trees)}% matched some but not all contacts`);
  }, 600_000);
});
