import type { ContactSort } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { encodeCursor, keyAfter, keyParam, sortSpecs, type Cursor, type KeyParam } from './cursor.ts';
import type { ListFilter, SqlWhere } from './filter.ts';
import { CONTACT_COLUMNS, type ContactRow } from './serialize.ts';
import { choose } from './strategy.ts';

/**
 * Index entries a page reads in sort order, probing each contact, before it starts from an id
 * list instead. The lists were not rare (strategy.ts), but the conditions together may be: a
 * page that needs more probes than this has few enough matches for the lists. 20,000 bounds a
 * wasted walk at ~10 ms of tag probes on a million contacts.
 */
export const WALK = 20_000;
const FIRST_WALK = 2_000;

/** The thresholds, which tests lower to take every path on a few contacts. */
export interface Tuning {
  walk: number;
  /** Overrides strategy.ts's threshold. */
  rare?: number;
}

type Value = string | number;
type Clause = { sql: string; params: KeyParam[] };
/** A row's sort key as read: its sort column (named as in the sort spec) and id. */
type KeyRow = Record<string, Value | null> & { id: number };

/** One phase of the keyset (cursor.ts): a range of the sort index, read in order. */
interface Phase {
  /** Conditions after `c.workspaceId = ?`: the phase's part of the index, after the cursor. */
  range: Clause;
  /**
   * The same range, from at most a few ties before the cursor, as one index seek: counting off
   * a walk's window along it costs no check per entry (the exact keyset's OR cost 0.7 ms over
   * 20,000 entries). The window only bounds the walk, so it need not start exactly.
   */
  seek: Clause;
  order: string;
  /** The columns of a row's key, and the condition "up to that key" for a key read as a row. */
  key: string;
  upTo(key: KeyRow): Clause;
}

function phases(sort: ContactSort, cursor: Cursor | undefined): { withValue: Phase | null; without: Phase } {
  const spec = sortSpecs[sort];
  const col = `c.${spec.column}`;
  const back = spec.dir === 'DESC' ? 'ASC' : 'DESC';
  const [hasValue, noValue] = spec.empty === 'null' ? [`${col} IS NOT NULL`, `${col} IS NULL`] : [`${col} > ''`, `${col} = ''`];
  const and = (a: string, b: Clause | null): Clause => (b ? { sql: `${a} AND ${b.sql}`, params: b.params } : { sql: a, params: [] });
  const idCmp = spec.dir === 'DESC' ? '<' : '>';

  // After a cursor's value the keyset alone bounds the range: SQLite seeks an index on one lower
  // bound, and given `nameKey > ''` too it chose that one and skipped 178,000 names on page 200.
  // (A value is never NULL or '' in phase 0 unless the cursor was forged; then both apply.)
  const after = cursor && cursor.phase === 0 ? keyAfter(col, spec.dir, keyParam(spec, cursor.value as Value), cursor.id) : null;
  const withValue: Phase | null =
    cursor?.phase === 1
      ? null
      : {
          range: after && cursor!.value !== null && cursor!.value !== '' ? after : and(hasValue, after),
          seek:
            after && cursor!.value !== null && cursor!.value !== ''
              ? { sql: `${col} ${spec.dir === 'DESC' ? '<=' : '>='} ?`, params: [keyParam(spec, cursor!.value)] }
              : and(hasValue, after),
          order: `${col} ${spec.dir}, c.id ${spec.dir}`,
          key: `${col}, c.id`,
          upTo: (row) => keyAfter(col, back, keyParam(spec, row[spec.column]!), row.id, true),
        };
  const withoutRange = and(noValue, cursor?.phase === 1 ? { sql: `c.id ${idCmp} ?`, params: [cursor.id] } : null);
  const without: Phase = {
    range: withoutRange,
    seek: withoutRange,
    order: `c.id ${spec.dir}`,
    key: 'c.id',
    upTo: (row) => ({ sql: `c.id ${spec.dir === 'DESC' ? '>=' : '<='} ?`, params: [row.id] }),
  };
  return { withValue, without };
}

/**
 * Up to `n` rows of one phase in order. Without custom-field or set conditions one query, which
 * SQLite plans on its own. With them (strategy.ts): a rare filter starts from its smallest id
 * list, every other condition probed per match (47 birthdays cost 47 lookups, not a walk
 * through a million contacts); any other walks the sort index probing each contact, over at
 * most `walk` entries (the key of the walk-th entry bounds the range, so the walk stops there
 * even when the page stays short), and only when that leaves the page short starts from the
 * smallest id list after all (conditions common apart, rare together). A common tag costs 51
 * probes that way, not 640,000 lookups and a sort.
 */
async function phaseRows(sql: Sql, workspaceId: number, filter: ListFilter | undefined, index: string, ph: Phase, n: number, opts: Tuning): Promise<ContactRow[]> {
  const head = [workspaceId, ...ph.range.params];
  const select = (where: SqlWhere | undefined, indexed = '', upTo?: Clause) =>
    sql.all<ContactRow>(
      `SELECT ${CONTACT_COLUMNS} FROM Contact c ${indexed}WHERE c.workspaceId = ? AND ${ph.range.sql}${upTo ? ` AND ${upTo.sql}` : ''}` +
        `${where ? ` AND (${where.sql})` : ''} ORDER BY ${ph.order} LIMIT ?`,
      [...head, ...(upTo?.params ?? []), ...(where?.params ?? []), n],
    );

  if (!filter?.subqueries) return select(filter?.sql('drive'));
  const { driver, rare } = await choose(sql, filter, opts.rare);
  const fromList = () => select(filter.sql(driver ? { index: driver.index, as: 'list' } : 'drive'));
  if (rare) return fromList();
  // The walk reads the sort index in order; SQLite is held to it by INDEXED BY, a hint that
  // PostgreSQL's syntax lacks.
  const walkIndex = sql.dialect === 'sqlite' ? `INDEXED BY ${index} ` : '';
  // A short window first: most walks fill the page within it, and counting off 20,000 entries
  // for the window's end alone costs ~0.5 ms.
  for (const window of new Set([Math.min(FIRST_WALK, opts.walk), opts.walk])) {
    const last = await sql.get<KeyRow>(`SELECT ${ph.key} FROM Contact c WHERE c.workspaceId = ? AND ${ph.seek.sql} ORDER BY ${ph.order} LIMIT 1 OFFSET ?`, [
      workspaceId,
      ...ph.seek.params,
      window - 1,
    ]);
    const walked = await select(filter.sql('probe'), walkIndex, last && ph.upTo(last));
    if (walked.length >= n || !last) return walked;
  }
  return fromList();
}

/** One page in sort order, and the cursor after it when more rows follow. */
export async function pageRows(
  sql: Sql, workspaceId: number, filter: ListFilter | undefined, sort: ContactSort, cursor: Cursor | undefined, limit: number, tuning: Partial<Tuning> = {},
): Promise<{ page: ContactRow[]; next: string | null }> {
  const opts: Tuning = { walk: WALK, ...tuning };
  const spec = sortSpecs[sort];
  const { withValue, without } = phases(sort, cursor);
  const rows: ContactRow[] = [];
  if (withValue) rows.push(...(await phaseRows(sql, workspaceId, filter, spec.index, withValue, limit + 1, opts)));
  if (rows.length <= limit) rows.push(...(await phaseRows(sql, workspaceId, filter, spec.index, without, limit + 1 - rows.length, opts)));

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  let next: string | null = null;
  if (rows.length > limit && last) {
    const value = (last as unknown as Record<string, Value | null>)[spec.column] ?? null;
    const empty = value === null || value === '';
    next = encodeCursor({ sort, phase: empty ? 1 : 0, value: empty ? null : value, id: last.id });
  }
  return { page, next };
}
