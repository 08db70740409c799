import type { Filter, Segment } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { checkFilter, toListFilter } from '../contacts/filter.ts';
import { countContacts } from '../contacts/list.ts';
import { validateFilter } from '@switchboard/shared';
import { isMember } from './membership.ts';

interface SegmentRow {
  id: number;
  name: string;
  description: string | null;
  filter: string;
  updatedAt: number;
}

async function toSegment(sql: Sql, workspaceId: number, catalogue: Catalogue, s: SegmentRow): Promise<Segment> {
  const filter = JSON.parse(s.filter) as Filter;
  const checked = validateFilter(filter, catalogue.filter);
  // A segment whose field was deleted counts nobody (and says so when applied).
  const count = checked.ok ? await countContacts(sql, workspaceId, toListFilter([checked.filter], workspaceId, catalogue, Date.now(), sql.dialect)) : { value: 0, exact: true };
  return { id: String(s.id), name: s.name, description: s.description, filter, count, updatedAt: new Date(s.updatedAt).toISOString() };
}

const SELECT = 'SELECT id, name, description, filter, updatedAt FROM Segment';

export async function listSegments(sql: Sql, workspaceId: number): Promise<Segment[]> {
  const catalogue = await loadCatalogue(sql, workspaceId);
  const rows = await sql.all<SegmentRow>(`${SELECT} WHERE workspaceId = ? ORDER BY name`, [workspaceId]);
  // One count after another, as before: each may read up to the cap's worth of ids.
  const segments: Segment[] = [];
  for (const s of rows) segments.push(await toSegment(sql, workspaceId, catalogue, s));
  return segments;
}

async function getRow(sql: Sql, workspaceId: number, segmentId: number): Promise<SegmentRow> {
  const row = await sql.get<SegmentRow>(`${SELECT} WHERE id = ? AND workspaceId = ?`, [segmentId, workspaceId]);
  if (!row) throw notFound('Segment');
  return row;
}

export async function getSegment(sql: Sql, workspaceId: number, segmentId: number): Promise<Segment> {
  return toSegment(sql, workspaceId, await loadCatalogue(sql, workspaceId), await getRow(sql, workspaceId, segmentId));
}

async function assertNameFree(sql: Sql, workspaceId: number, name: string, exceptId?: number): Promise<void> {
  const clash = await sql.get<{ id: number }>('SELECT id FROM Segment WHERE workspaceId = ? AND name = ?', [workspaceId, name]);
  if (clash && clash.id !== exceptId) throw conflict(`A segment named "${name}" already exists`, { path: 'name', existingId: String(clash.id) });
}

export async function createSegment(
  db: Db,
  workspaceId: number,
  actor: Actor & { kind: 'agent' },
  body: { name: string; description?: string; filter: unknown },
): Promise<Segment> {
  const filter = checkFilter(body.filter, await loadCatalogue(db.sql, workspaceId), 'filter');
  const id = await db.tx(async (tx, sql) => {
    await assertNameFree(sql, workspaceId, body.name);
    const s = await tx.segment.create({
      data: { workspaceId, name: body.name, description: body.description || null, filter: filter as object, authorId: actor.id },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'segment.created', changes: { id: s.id, name: body.name, filter } });
    return s.id;
  });
  return getSegment(db.sql, workspaceId, id);
}

export async function updateSegment(
  db: Db,
  workspaceId: number,
  actor: Actor,
  segmentId: number,
  body: { name?: string; description?: string | null; filter?: unknown },
): Promise<Segment> {
  const filter = body.filter === undefined ? undefined : checkFilter(body.filter, await loadCatalogue(db.sql, workspaceId), 'filter');
  await db.tx(async (tx, sql) => {
    const before = await getRow(sql, workspaceId, segmentId);
    if (body.name !== undefined) await assertNameFree(sql, workspaceId, body.name, segmentId);
    await tx.segment.update({
      where: { id: segmentId },
      data: {
        ...(body.name !== undefined ? { name: body.name } : {}),
        ...(body.description !== undefined ? { description: body.description || null } : {}),
        ...(filter !== undefined ? { filter: filter as object } : {}),
      },
    });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: 'segment.updated',
      changes: { id: segmentId, before: { name: before.name, description: before.description, filter: JSON.parse(before.filter) }, after: body },
    });
  });
  return getSegment(db.sql, workspaceId, segmentId);
}

export async function deleteSegment(db: Db, workspaceId: number, actor: Actor, segmentId: number): Promise<void> {
  await db.tx(async (tx, sql) => {
    const before = await getRow(sql, workspaceId, segmentId);
    await tx.segment.delete({ where: { id: segmentId } });
    await recordAudit(tx, { workspaceId, actor, action: 'segment.deleted', changes: { id: segmentId, name: before.name, filter: JSON.parse(before.filter) } });
  });
}

/** The flow builder's check: does contact X match segment S right now? */
export async function checkMembership(sql: Sql, workspaceId: number, segmentId: number, contactId: number): Promise<boolean> {
  const seg = await getRow(sql, workspaceId, segmentId);
  const contact = await sql.get('SELECT 1 AS hit FROM Contact WHERE id = ? AND workspaceId = ?', [contactId, workspaceId]);
  if (!contact) throw notFound('Contact');
  return isMember(sql, workspaceId, contactId, seg.filter, await loadCatalogue(sql, workspaceId));
}
