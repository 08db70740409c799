import type { ContactCount } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import type { ListFilter, SqlWhere } from './filter.ts';
import { choose } from './strategy.ts';

/** Counts are exact up to this many; above it the list says "10,000+" without counting a million rows. */
export const COUNT_CAP = 10_000;

/**
 * The capped count of the workspace's contacts matching `filter` (a ListFilter, or one SQL
 * condition counted as it is). With an id list that every match is in (strategy.ts) the count
 * reads that list until the cap, so it costs at most the cap's worth of ids, not the list
 * (a common tag's 640,000 ids were built whole first), and for a rare value only its ids:
 *
 * - the filter is nothing but such lists (a tag, a custom-field value, their AND): ids and
 *   probes of the other lists only, off the indexes. A contact's tags, sequences, topics and
 *   field values are its workspace's (docs/DATA.md), so every id in the list is one of ours;
 * - otherwise each id's contact is looked up for its workspace and the other conditions.
 *
 * Without such a list SQLite plans the capped count on its own.
 */
export async function countContacts(
  sql: Sql, workspaceId: number, filter: ListFilter | SqlWhere | undefined, { cap = COUNT_CAP, rare }: { cap?: number; rare?: number } = {},
): Promise<ContactCount> {
  let n: number;
  const list = filter && 'drivers' in filter && filter.subqueries ? filter : undefined;
  const choice = list && (await choose(sql, list, rare));
  const driver = choice?.driver;
  if (list && driver) {
    // The other conditions, with this list's as TRUE; they refer to the contact as `c.id`.
    const rest = list.sql({ index: driver.index, as: 'true' });
    // DISTINCT: a contact holding two of the listed tags is in the list twice (~0.1 µs an id).
    const distinct = choice.unique ? '' : 'DISTINCT ';
    // Every derived table is named: PostgreSQL before 16 requires it.
    const text = list.onlyDrivers
      ? `SELECT count(*) FROM (SELECT ${distinct}c.id FROM (SELECT contactId AS id FROM (${driver.sql}) d) c WHERE ${rest.sql} LIMIT ?) n`
      : // LIMIT 1 keeps SQLite from turning the EXISTS into a join, for which it built a Bloom
        // filter of the whole workspace first (a scan of a million contacts, ~200 ms).
        `SELECT count(*) FROM (SELECT ${distinct}d.contactId FROM (${driver.sql}) d
          WHERE EXISTS (SELECT 1 FROM Contact c WHERE c.id = d.contactId AND c.workspaceId = ? AND (${rest.sql}) LIMIT 1) LIMIT ?) n`;
    const params = list.onlyDrivers ? [...driver.params, ...rest.params] : [...driver.params, workspaceId, ...rest.params];
    n = (await sql.value<number>(text, [...params, cap + 1]))!;
  } else {
    const where = filter && 'drivers' in filter ? filter.sql('drive') : filter;
    n = (await sql.value<number>(`SELECT count(*) FROM (SELECT 1 FROM Contact c WHERE c.workspaceId = ?${where ? ` AND (${where.sql})` : ''} LIMIT ?) n`, [
      workspaceId,
      ...(where?.params ?? []),
      cap + 1,
    ]))!;
  }
  return n > cap ? { value: cap, exact: false } : { value: n, exact: true };
}
