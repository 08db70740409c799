import { fold, type CatalogueItem, type Tag } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit, type Actor } from '../audit/service.ts';

export async function listTags(sql: Sql, workspaceId: number): Promise<Tag[]> {
  const rows = await sql.all<{ id: number; name: string; color: string | null; contactCount: number }>(
    `SELECT t.id, t.name, t.color, (SELECT count(*) FROM ContactTag ct WHERE ct.tagId = t.id) AS contactCount
     FROM Tag t WHERE t.workspaceId = ? ORDER BY t.name`,
    [workspaceId],
  );
  return rows.map((t) => ({ ...t, id: String(t.id) }));
}

/** Sequences and OTN topics: managed by the bot; the console lists them and removes contacts from them. */
export async function listCatalogue(sql: Sql, workspaceId: number, kind: 'sequences' | 'otn-topics'): Promise<CatalogueItem[]> {
  const text =
    kind === 'sequences'
      ? 'SELECT s.id, s.name, (SELECT count(*) FROM ContactSequence x WHERE x.sequenceId = s.id) AS contactCount FROM Sequence s WHERE s.workspaceId = ? ORDER BY s.name'
      : 'SELECT t.id, t.name, (SELECT count(*) FROM ContactOtnTopic x WHERE x.topicId = t.id) AS contactCount FROM OtnTopic t WHERE t.workspaceId = ? ORDER BY t.name';
  const rows = await sql.all<{ id: number; name: string; contactCount: number }>(text, [workspaceId]);
  return rows.map((r) => ({ ...r, id: String(r.id) }));
}

async function tagById(sql: Sql, workspaceId: number, tagId: number): Promise<Tag> {
  const tag = (await listTags(sql, workspaceId)).find((t) => t.id === String(tagId));
  if (!tag) throw notFound('Tag');
  return tag;
}

/**
 * Tag names are unique per workspace regardless of case ("VIP" and "vip" are one tag). Folded
 * in JS: `sb_fold` is a function of our SQLite connections only, and comparing folded names
 * reads the workspace's tags either way.
 */
async function assertNameFree(sql: Sql, workspaceId: number, name: string, exceptId?: number): Promise<void> {
  const tags = await sql.all<{ id: number; name: string }>('SELECT id, name FROM Tag WHERE workspaceId = ? ORDER BY name', [workspaceId]);
  const folded = fold(name);
  const clash = tags.find((t) => fold(t.name) === folded);
  if (clash && clash.id !== exceptId) throw conflict(`Tag "${clash.name}" already exists`, { path: 'name', existingId: String(clash.id) });
}

/** A tag's rename or removal changes what every contact holding it shows. */
async function touchTagged(sql: Sql, tagId: number): Promise<void> {
  await sql.run('UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id IN (SELECT contactId FROM ContactTag WHERE tagId = ?)', [new Date(), tagId]);
}

export async function createTag(db: Db, workspaceId: number, actor: Actor, body: { name: string; color?: string }): Promise<Tag> {
  const id = await db.tx(async (tx, sql) => {
    await assertNameFree(sql, workspaceId, body.name);
    const t = await tx.tag.create({ data: { workspaceId, name: body.name, color: body.color ?? null } });
    await recordAudit(tx, { workspaceId, actor, action: 'tag.created', changes: { id: t.id, name: body.name } });
    return t.id;
  });
  return tagById(db.sql, workspaceId, id);
}

export async function updateTag(db: Db, workspaceId: number, actor: Actor, tagId: number, body: { name?: string; color?: string | null }): Promise<Tag> {
  await db.tx(async (tx, sql) => {
    const before = await tagById(sql, workspaceId, tagId);
    if (body.name !== undefined) await assertNameFree(sql, workspaceId, body.name, tagId);
    await tx.tag.update({ where: { id: tagId }, data: { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.color !== undefined ? { color: body.color } : {}) } });
    if (body.name !== undefined && body.name !== before.name) await touchTagged(sql, tagId);
    await recordAudit(tx, { workspaceId, actor, action: 'tag.updated', changes: { id: tagId, before: { name: before.name, color: before.color }, after: body } });
  });
  return tagById(db.sql, workspaceId, tagId);
}

export async function deleteTag(db: Db, workspaceId: number, actor: Actor, tagId: number): Promise<void> {
  await db.tx(async (tx, sql) => {
    const before = await tagById(sql, workspaceId, tagId);
    await touchTagged(sql, tagId);
    await tx.tag.delete({ where: { id: tagId } });
    await recordAudit(tx, { workspaceId, actor, action: 'tag.deleted', changes: { id: tagId, name: before.name, contactCount: before.contactCount } });
  });
}
