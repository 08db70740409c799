import type { Filter, Segment } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
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

function toSegment(db: Db, workspaceId: number, catalogue: Catalogue, s: SegmentRow): Segment {
  const filter = JSON.parse(s.filter) as Filter;
  const checked = validateFilter(filter, catalogue.filter);
  // A segment whose field was deleted counts nobody (and says so when applied).
  const count = checked.ok ? countContacts(db, workspaceId, toListFilter([checked.filter], workspaceId, catalogue)) : { value: 0, exact: true };
  return { id: String(s.id), name: s.name, description: s.description, filter, count, updatedAt: new Date(s.updatedAt).toISOString() };
}

const SELECT = 'SELECT id, name, description, filter, updatedAt FROM Segment';

export function listSegments(db: Db, workspaceId: number): Segment[] {
  const catalogue = loadCatalogue(db, workspaceId);
  const rows = stmt(db.conn, `${SELECT} WHERE workspaceId = ? ORDER BY name`).all(workspaceId) as SegmentRow[];
  return rows.map((s) => toSegment(db, workspaceId, catalogue, s));
}

function getRow(db: Db, workspaceId: number, segmentId: number): SegmentRow {
  const row = stmt(db.conn, `${SELECT} WHERE id = ? AND workspaceId = ?`).get(segmentId, workspaceId) as SegmentRow | undefined;
  if (!row) throw notFound('Segment');
  return row;
}

export function getSegment(db: Db, workspaceId: number, segmentId: number): Segment {
  return toSegment(db, workspaceId, loadCatalogue(db, workspaceId), getRow(db, workspaceId, segmentId));
}

function assertNameFree(db: Db, workspaceId: number, name: string, exceptId?: number) {
  const clash = stmt(db.conn, 'SELECT id FROM Segment WHERE workspaceId = ? AND name = ?').get(workspaceId, name) as { id: number } | undefined;
  if (clash && clash.id !== exceptId) throw conflict(`A segment named "${name}" already exists`, { path: 'name', existingId: String(clash.id) });
}

export async function createSegment(
  db: Db,
  workspaceId: number,
  actor: Actor & { kind: 'agent' },
  body: { name: string; description?: string; filter: unknown },
): Promise<Segment> {
  const filter = checkFilter(body.filter, loadCatalogue(db, workspaceId), 'filter');
  const id = await db.tx(async (tx) => {
    assertNameFree(db, workspaceId, body.name);
    const s = await tx.segment.create({
      data: { workspaceId, name: body.name, description: body.description || null, filter: filter as object, authorId: actor.id },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'segment.created', changes: { id: s.id, name: body.name, filter } });
    return s.id;
  });
  return getSegment(db, workspaceId, id);
}

export async function updateSegment(
  db: Db,
  workspaceId: number,
  actor: Actor,
  segmentId: number,
  body: { name?: string; description?: string | null; filter?: unknown },
): Promise<Segment> {
  const filter = body.filter === undefined ? undefined : checkFilter(body.filter, loadCatalogue(db, workspaceId), 'filter');
  await db.tx(async (tx) => {
    const before = getRow(db, workspaceId, segmentId);
    if (body.name !== undefined) assertNameFree(db, workspaceId, body.name, segmentId);
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
  return getSegment(db, workspaceId, segmentId);
}

export async function deleteSegment(db: Db, workspaceId: number, actor: Actor, segmentId: number): Promise<void> {
  await db.tx(async (tx) => {
    const before = getRow(db, workspaceId, segmentId);
    await tx.segment.delete({ where: { id: segmentId } });
    await recordAudit(tx, { workspaceId, actor, action: 'segment.deleted', changes: { id: segmentId, name: before.name, filter: JSON.parse(before.filter) } });
  });
}

/** The flow builder's check: does contact X match segment S right now? */
export function checkMembership(db: Db, workspaceId: number, segmentId: number, contactId: number): boolean {
  const seg = getRow(db, workspaceId, segmentId);
  const contact = stmt(db.conn, 'SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?').get(contactId, workspaceId);
  if (!contact) throw notFound('Contact');
  return isMember(db, workspaceId, contactId, seg.filter, loadCatalogue(db, workspaceId));
}
