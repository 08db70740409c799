import type { ContactList, ContactSort, Filter } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { placeholders } from '../../lib/sql.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { searchContacts } from '../search/service.ts';
import { countContacts } from './count.ts';
import { decodeCursor } from './cursor.ts';
import { parseFilterParam, segmentFilter, toListFilter, type ListFilter } from './filter.ts';
import { pageRows } from './page.ts';
import { CONTACT_COLUMNS, serializeContacts, type ContactRow } from './serialize.ts';

export { COUNT_CAP, countContacts } from './count.ts';

export interface ListParams {
  filter?: string;
  segmentId?: number;
  q?: string;
  sort: ContactSort;
  cursor?: string;
  limit: number;
}

/** The combined filter of `filter` and `segmentId` (both apply when both are given). */
export async function listWhere(
  sql: Sql, workspaceId: number, params: Pick<ListParams, 'filter' | 'segmentId'>, catalogue?: Catalogue,
): Promise<ListFilter | undefined> {
  catalogue ??= await loadCatalogue(sql, workspaceId);
  const trees: Filter[] = [];
  if (params.segmentId !== undefined) trees.push(await segmentFilter(sql, workspaceId, params.segmentId, catalogue));
  if (params.filter) trees.push(parseFilterParam(params.filter, catalogue));
  return toListFilter(trees, workspaceId, catalogue, Date.now(), sql.dialect);
}

export async function listContacts(db: Db, workspaceId: number, params: ListParams): Promise<ContactList> {
  const catalogue = await loadCatalogue(db.sql, workspaceId);
  const where = await listWhere(db.sql, workspaceId, params, catalogue);

  if (params.q) {
    // A search answers with its best matches by relevance, one page, no cursor. It checks its
    // candidates one by one: the probe form, never a list of every match.
    const found = await searchContacts(db, workspaceId, params.q, { limit: params.limit, where: where?.sql('probe') });
    const byId = new Map<number, ContactRow>();
    if (found.ids.length) {
      // At most CANDIDATES (200) ids: one parameter each.
      const rows = await db.sql.all<ContactRow>(`SELECT ${CONTACT_COLUMNS} FROM Contact c WHERE c.id IN (${placeholders(found.ids.length)})`, found.ids);
      rows.forEach((r) => byId.set(r.id, r));
    }
    const ordered = found.ids.map((id) => byId.get(id)).filter((r): r is ContactRow => !!r);
    return {
      items: await serializeContacts(db.sql, catalogue, ordered),
      nextCursor: null,
      count: { value: found.total, exact: found.exact },
    };
  }

  const cursor = params.cursor ? decodeCursor(params.cursor, params.sort) : undefined;
  const { page, next } = await pageRows(db.sql, workspaceId, where, params.sort, cursor, params.limit);
  return { items: await serializeContacts(db.sql, catalogue, page), nextCursor: next, count: await countContacts(db.sql, workspaceId, where) };
}
