import type { Sql } from '../../db/sql.ts';
import type { Driver } from '../filter/compile.ts';
import type { ListFilter } from './filter.ts';

/**
 * Below this many ids in its smallest id list a filter is "rare": reading those ids, looking
 * each contact up and sorting them (~1.3 µs a match at a million contacts) beats walking a sort
 * index and probing each contact until a page is full (51 / density of them). With a probe that
 * reads a FieldValue row (~3.6 µs) both cost ~15 ms at 10,000 matches of a million; with probes
 * answered by indexes alone (~0.4 µs) at ~3,000 (a tag on 0.8 % of contacts: 14 ms from its
 * list, 2 ms walking).
 */
export const RARE = 10_000;
export const RARE_CHEAP_PROBES = 3_000;

export interface Choice {
  /** The id list with the fewest ids (counted up to RARE + 1), if the filter has one. */
  driver?: Driver;
  /** Its ids are few enough to start every query from it. */
  rare: boolean;
  /** It holds no contact twice (Driver.unique, or a set whose names match one row). */
  unique: boolean;
}

type Size = { n: number; unique: boolean };
const smallest = new WeakMap<ListFilter, (Size & { driver: Driver }) | null>();

/**
 * Id list sizes seen recently, by SQL and parameters: counting one is < 0.5 ms, but that was a
 * quarter of a common tag's page. A size only steers the plan, never the rows, so a stale one
 * costs at most some speed until it expires. Kept per `Sql` (one per database outside a
 * transaction, which is where lists are read).
 */
const sizesByDb = new WeakMap<Sql, Map<string, { n: number; until: number }>>();
const SIZE_TTL_MS = 60_000;
const SIZES_MAX = 5_000;

async function listSize(sql: Sql, driver: Driver): Promise<Size> {
  let sizes = sizesByDb.get(sql);
  if (!sizes) sizesByDb.set(sql, (sizes = new Map()));
  const key = `${driver.sql}\u0000${JSON.stringify(driver.params)}`;
  const now = Date.now();
  const seen = sizes.get(key);
  // Whether names match several rows decides the count's result, so it is never taken stale.
  const unique = driver.unique || (driver.keys !== undefined && (await sql.value<number>(driver.keys.sql, driver.keys.params))! <= 1);
  if (seen && seen.until > now) return { n: seen.n, unique };
  const n = (await sql.value<number>(`SELECT count(*) FROM (${driver.sql} LIMIT ?) d`, [...driver.params, RARE + 1]))!;
  if (sizes.size >= SIZES_MAX) sizes.clear();
  sizes.set(key, { n, until: now + SIZE_TTL_MS });
  return { n, unique };
}

/**
 * How to read a list's filter, from its id lists' sizes: each counted on its own index up to
 * RARE + 1 entries (an index-only range, ~20 ns an entry, so < 0.5 ms each), kept a minute.
 * `rareAt` overrides the threshold (tests take every path on a few contacts with it).
 */
export async function choose(sql: Sql, filter: ListFilter, rareAt?: number): Promise<Choice> {
  let best = smallest.get(filter);
  if (best === undefined) {
    best = null;
    for (const driver of filter.drivers) {
      const size = await listSize(sql, driver);
      if (!best || size.n < best.n) best = { driver, ...size };
    }
    smallest.set(filter, best);
  }
  const rare = rareAt ?? (filter.rowProbes ? RARE : RARE_CHEAP_PROBES);
  return { driver: best?.driver, rare: best !== null && best.n <= rare, unique: best?.unique ?? false };
}
