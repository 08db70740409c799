import type { ContactSort } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { encodeCursor, keyAfter, sortSpecs, type Cursor } from './cursor.ts';
import type { ListFilter, SqlWhere } from './filter.ts';
import { CONTACT_COLUMNS, type ContactRow } from './serialize.ts';

/**
 * Index entries a page reads in sort order, probing each contact, before it gives up on that
 * and starts from the id lists instead. Probing costs ~0.3-0.7 µs a contact; the id lists
 * ~1-5 µs a match (each matching contact looked up and sorted). So probing wins while more
 * than 1 in ~W/51 contacts match: a page needing more than W probes has so few matches that
 * the lists are cheap. 20,000 bounds a wasted walk at ~10 ms on a million contacts.
 */
export const WALK = 20_000;

type Value = string | number;
type Sql = { sql: string; params: Value[] };

/** One phase of the keyset (cursor.ts): a range of the sort index, read in order. */
interface Phase {
  /** Conditions after `c.workspaceId = ?`: the phase's part of the index, after the cursor. */
  range: Sql;
  order: string;
  /** The columns of a row's key, and the condition "up to that key" for a key read as an array. */
  key: string;
  upTo(key: Value[]): Sql;
}

function phases(sort: ContactSort, cursor: Cursor | undefined): { withValue: Phase | null; without: Phase } {
  const spec = sortSpecs[sort];
  const col = `c.${spec.column}`;
  const back = spec.dir === 'DESC' ? 'ASC' : 'DESC';
  const [hasValue, noValue] = spec.empty === 'null' ? [`${col} IS NOT NULL`, `${col} IS NULL`] : [`${col} > ''`, `${col} = ''`];
  const and = (a: string, b: Sql | null): Sql => (b ? { sql: `${a} AND ${b.sql}`, params: b.params } : { sql: a, params: [] });
  const idCmp = spec.dir === 'DESC' ? '<' : '>';

  const withValue: Phase | null =
    cursor?.phase === 1
      ? null
      : {
          range: and(hasValue, cursor ? keyAfter(col, spec.dir, cursor.value as Value, cursor.id) : null),
          order: `${col} ${spec.dir}, c.id ${spec.dir}`,
          key: `${col}, c.id`,
          upTo: ([v, id]) => keyAfter(col, back, v!, id as number, true),
        };
  const without: Phase = {
    range: and(noValue, cursor?.phase === 1 ? { sql: `c.id ${idCmp} ?`, params: [cursor.id] } : null),
    order: `c.id ${spec.dir}`,
    key: 'c.id',
    upTo: ([id]) => ({ sql: `c.id ${spec.dir === 'DESC' ? '>=' : '<='} ?`, params: [id!] }),
  };
  return { withValue, without };
}

/**
 * Up to `n` rows of one phase in order. Without custom-field or set conditions one query, which
 * SQLite plans on its own. With them, first the probe form along the sort index, over at most
 * `walk` entries (the key of the walk-th entry bounds the range, so the walk stops there even
 * when the page stays short); when that leaves the page short, the drive form, which SQLite
 * starts from the value indexes: a rare value (47 birthdays) costs its matches, not a walk
 * through a million contacts, and a common one (64 % have the tag) 51 probes, not 640,000
 * lookups and a sort.
 */
function phaseRows(db: Db, workspaceId: number, filter: ListFilter | undefined, index: string, ph: Phase, n: number, walk: number): ContactRow[] {
  const from = `FROM Contact c WHERE c.workspaceId = ? AND ${ph.range.sql}`;
  const head = [workspaceId, ...ph.range.params];
  const select = (where: SqlWhere | undefined, indexed = '', upTo?: Sql) =>
    stmt(
      db.conn,
      `SELECT ${CONTACT_COLUMNS} FROM Contact c ${indexed}WHERE c.workspaceId = ? AND ${ph.range.sql}${upTo ? ` AND ${upTo.sql}` : ''}` +
        `${where ? ` AND (${where.sql})` : ''} ORDER BY ${ph.order} LIMIT ?`,
    ).all(...head, ...(upTo?.params ?? []), ...(where?.params ?? []), n) as ContactRow[];

  if (!filter?.probe) return select(filter?.drive);
  const last = stmt(db.conn, `SELECT ${ph.key} ${from} ORDER BY ${ph.order} LIMIT 1 OFFSET ?`).raw().get(...head, walk - 1) as Value[] | undefined;
  const walked = select(filter.probe, `INDEXED BY ${index} `, last && ph.upTo(last));
  if (walked.length >= n || !last) return walked;
  return select(filter.drive);
}

/** One page in sort order, and the cursor after it when more rows follow. */
export function pageRows(
  db: Db, workspaceId: number, filter: ListFilter | undefined, sort: ContactSort, cursor: Cursor | undefined, limit: number, walk = WALK,
): { page: ContactRow[]; next: string | null } {
  const spec = sortSpecs[sort];
  const { withValue, without } = phases(sort, cursor);
  const rows: ContactRow[] = [];
  if (withValue) rows.push(...phaseRows(db, workspaceId, filter, spec.index, withValue, limit + 1, walk));
  if (rows.length <= limit) rows.push(...phaseRows(db, workspaceId, filter, spec.index, without, limit + 1 - rows.length, walk));

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
