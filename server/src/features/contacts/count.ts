import type { ContactCount } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { keyAfter } from './cursor.ts';
import type { ListFilter, SqlWhere } from './filter.ts';

/** Counts are exact up to this many; above it the list says "10,000+" without counting a million rows. */
export const COUNT_CAP = 10_000;

/**
 * Contacts a count probes in creation order before it counts from the id lists instead. It
 * stops early once COUNT_CAP + 1 match, so the walk pays off when more than ~1 in 3 contacts
 * match (a common tag: 16,000 probes instead of listing its 640,000 contacts); rarer
 * conditions are cheaper from their lists. 30,000 bounds a wasted walk at ~10-20 ms.
 */
export const COUNT_WALK = 30_000;

/**
 * The capped count of the workspace's contacts matching `filter` (a ListFilter, or one SQL
 * condition counted as it is).
 */
export function countContacts(
  db: Db, workspaceId: number, filter: ListFilter | SqlWhere | undefined, { walk = COUNT_WALK, cap = COUNT_CAP } = {},
): ContactCount {
  const capped = (n: number): ContactCount => (n > cap ? { value: cap, exact: false } : { value: n, exact: true });
  const count = (where: SqlWhere | undefined, indexed = '', upTo?: { sql: string; params: (string | number)[] }) =>
    stmt(
      db.conn,
      `SELECT count(*) FROM (SELECT 1 FROM Contact c ${indexed}WHERE c.workspaceId = ?${upTo ? ` AND ${upTo.sql}` : ''}` +
        `${where ? ` AND (${where.sql})` : ''} LIMIT ?)`,
    )
      .pluck()
      .get(workspaceId, ...(upTo?.params ?? []), ...(where?.params ?? []), cap + 1) as number;

  if (!filter || !('drive' in filter)) return capped(count(filter));
  if (!filter.probe) return capped(count(filter.drive));
  const last = stmt(db.conn, 'SELECT c.createdAt, c.id FROM Contact c WHERE c.workspaceId = ? ORDER BY c.createdAt, c.id LIMIT 1 OFFSET ?')
    .raw()
    .get(workspaceId, walk - 1) as [number, number] | undefined;
  const walked = count(filter.probe, 'INDEXED BY Contact_workspaceId_createdAt_id_idx ', last && keyAfter('c.createdAt', 'DESC', last[0], last[1], true));
  if (walked > cap || !last) return capped(walked);
  return capped(count(filter.drive));
}
