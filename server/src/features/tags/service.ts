import { fold, type CatalogueItem, type Tag } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import { recordAudit, type Actor } from '../audit/service.ts';

export function listTags(db: Db, workspaceId: number): Tag[] {
  const rows = stmt(
    db.conn,
    `SELECT t.id, t.name, t.color, (SELECT count(*) FROM ContactTag ct WHERE ct.tagId = t.id) AS contactCount
     FROM Tag t WHERE t.workspaceId = ? ORDER BY t.name`,
  ).all(workspaceId) as { id: number; name: string; color: string | null; contactCount: number }[];
  return rows.map((t) => ({ ...t, id: String(t.id) }));
}

/** Sequences and OTN topics: managed by the bot; the console lists them and removes contacts from them. */
export function listCatalogue(db: Db, workspaceId: number, kind: 'sequences' | 'otn-topics'): CatalogueItem[] {
  const sql =
    kind === 'sequences'
      ? 'SELECT s.id, s.name, (SELECT count(*) FROM ContactSequence x WHERE x.sequenceId = s.id) AS contactCount FROM Sequence s WHERE s.workspaceId = ? ORDER BY s.name'
      : 'SELECT t.id, t.name, (SELECT count(*) FROM ContactOtnTopic x WHERE x.topicId = t.id) AS contactCount FROM OtnTopic t WHERE t.workspaceId = ? ORDER BY t.name';
  return (stmt(db.conn, sql).all(workspaceId) as { id: number; name: string; contactCount: number }[]).map((r) => ({ ...r, id: String(r.id) }));
}

function tagById(db: Db, workspaceId: number, tagId: number): Tag {
  const tag = listTags(db, workspaceId).find((t) => t.id === String(tagId));
  if (!tag) throw notFound('Tag');
  return tag;
}

/** Tag names are unique per workspace regardless of case ("VIP" and "vip" are one tag). */
function assertNameFree(db: Db, workspaceId: number, name: string, exceptId?: number) {
  const clash = stmt(db.conn, 'SELECT id, name FROM Tag WHERE workspaceId = ? AND sb_fold(name) = ?').get(workspaceId, fold(name)) as
    | { id: number; name: string }
    | undefined;
  if (clash && clash.id !== exceptId) throw conflict(`Tag "${clash.name}" already exists`, { path: 'name', existingId: String(clash.id) });
}

export async function createTag(db: Db, workspaceId: number, actor: Actor, body: { name: string; color?: string }): Promise<Tag> {
  const id = await db.tx(async (tx) => {
    assertNameFree(db, workspaceId, body.name);
    const t = await tx.tag.create({ data: { workspaceId, name: body.name, color: body.color ?? null } });
    await recordAudit(tx, { workspaceId, actor, action: 'tag.created', changes: { id: t.id, name: body.name } });
    return t.id;
  });
  return tagById(db, workspaceId, id);
}

export async function updateTag(db: Db, workspaceId: number, actor: Actor, tagId: number, body: { name?: string; color?: string | null }): Promise<Tag> {
  await db.tx(async (tx) => {
    const before = tagById(db, workspaceId, tagId);
    if (body.name !== undefined) assertNameFree(db, workspaceId, body.name, tagId);
    await tx.tag.update({ where: { id: tagId }, data: { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.color !== undefined ? { color: body.color } : {}) } });
    if (body.name !== undefined && body.name !== before.name) {
      // A rename changes what every tagged contact shows.
      stmt(db.conn, 'UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id IN (SELECT contactId FROM ContactTag WHERE tagId = ?)').run(Date.now(), tagId);
    }
    await recordAudit(tx, { workspaceId, actor, action: 'tag.updated', changes: { id: tagId, before: { name: before.name, color: before.color }, after: body } });
  });
  return tagById(db, workspaceId, tagId);
}

export async function deleteTag(db: Db, workspaceId: number, actor: Actor, tagId: number): Promise<void> {
  await db.tx(async (tx) => {
    const before = tagById(db, workspaceId, tagId);
    stmt(db.conn, 'UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id IN (SELECT contactId FROM ContactTag WHERE tagId = ?)').run(Date.now(), tagId);
    await tx.tag.delete({ where: { id: tagId } });
    await recordAudit(tx, { workspaceId, actor, action: 'tag.deleted', changes: { id: tagId, name: before.name, contactCount: before.contactCount } });
  });
}
