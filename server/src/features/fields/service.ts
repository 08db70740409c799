import { MAX_CUSTOM_FIELDS, type CreateFieldBody, type CustomField, type UpdateFieldBody } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { loadCatalogue, type FieldDef } from '../catalogue/service.ts';

const toField = (d: FieldDef): CustomField => ({
  id: String(d.id),
  key: d.key,
  label: d.label,
  type: d.type,
  ...(d.options ? { options: d.options } : {}),
  position: d.position,
});

export function listFields(db: Db, workspaceId: number): CustomField[] {
  return [...loadCatalogue(db, workspaceId).byKey.values()].map(toField);
}

function getDef(db: Db, workspaceId: number, fieldId: number): FieldDef {
  const def = loadCatalogue(db, workspaceId).byId.get(fieldId);
  if (!def) throw notFound('Custom field');
  return def;
}

export async function createField(db: Db, workspaceId: number, actor: Actor, body: CreateFieldBody): Promise<CustomField> {
  const id = await db.tx(async (tx) => {
    const clash = await tx.customField.findUnique({ where: { workspaceId_key: { workspaceId, key: body.key } } });
    if (clash) throw conflict(`A custom field with key "${body.key}" already exists`, { path: 'key', existingId: String(clash.id) });
    const existing = await tx.customField.count({ where: { workspaceId } });
    if (existing >= MAX_CUSTOM_FIELDS) throw conflict(`A workspace can have at most ${MAX_CUSTOM_FIELDS} custom fields; delete one first`, { path: 'key', limit: MAX_CUSTOM_FIELDS });
    const position = existing * 10;
    const f = await tx.customField.create({
      data: { workspaceId, key: body.key, label: body.label, type: body.type, options: body.options ?? undefined, position },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'field.created', changes: { id: f.id, ...body } });
    return f.id;
  });
  return toField(getDef(db, workspaceId, id));
}

/** Segments whose filter mentions `custom.<key>` (a cheap text probe, exact enough for a guard). */
function segmentsUsing(db: Db, workspaceId: number, key: string): string[] {
  return stmt(db.conn, "SELECT name FROM Segment WHERE workspaceId = ? AND instr(filter, ?) > 0")
    .pluck()
    .all(workspaceId, `"custom.${key}"`) as string[];
}

export async function updateField(db: Db, workspaceId: number, actor: Actor, fieldId: number, body: UpdateFieldBody): Promise<CustomField> {
  await db.tx(async (tx) => {
    const def = getDef(db, workspaceId, fieldId);
    const type = body.type ?? def.type;
    const valueCount = stmt(db.conn, 'SELECT count(*) FROM FieldValue WHERE fieldId = ?').pluck().get(fieldId) as number;
    if (body.type && body.type !== def.type && valueCount > 0) {
      throw conflict(`${def.label} has values on ${valueCount} contacts; clear them before changing its type`, { path: 'type', valueCount });
    }
    if (body.options && type !== 'select') throw conflict('only select fields have options', { path: 'options' });
    if (type === 'select' && !(body.options ?? def.options)) throw conflict('a select field needs options', { path: 'options' });
    if (body.options && def.type === 'select' && def.options) {
      // Removing an option that contacts still hold would leave values no input can show.
      const removed = def.options.filter((o) => !body.options!.includes(o));
      for (const option of removed) {
        const used = stmt(db.conn, 'SELECT count(*) FROM FieldValue WHERE fieldId = ? AND text = ?').pluck().get(fieldId, option) as number;
        if (used) throw conflict(`Option "${option}" is set on ${used} contacts`, { path: 'options', option, used });
      }
    }
    await tx.customField.update({
      where: { id: fieldId },
      data: {
        ...(body.label !== undefined ? { label: body.label } : {}),
        ...(body.type !== undefined ? { type: body.type } : {}),
        ...(body.options !== undefined ? { options: body.options } : {}),
        ...(body.position !== undefined ? { position: body.position } : {}),
      },
    });
    await recordAudit(tx, { workspaceId, actor, action: 'field.updated', changes: { id: fieldId, key: def.key, before: toField(def), after: body } });
  });
  return toField(getDef(db, workspaceId, fieldId));
}

export async function deleteField(db: Db, workspaceId: number, actor: Actor, fieldId: number): Promise<void> {
  await db.tx(async (tx) => {
    const def = getDef(db, workspaceId, fieldId);
    const segments = segmentsUsing(db, workspaceId, def.key);
    if (segments.length) {
      throw conflict(`${def.label} is used by segments: ${segments.join(', ')}; change them first`, { path: 'fieldId', segments });
    }
    // Values cascade with the definition; the contacts that held one change version.
    stmt(db.conn, 'UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id IN (SELECT contactId FROM FieldValue WHERE fieldId = ?)').run(Date.now(), fieldId);
    await tx.customField.delete({ where: { id: fieldId } });
    await recordAudit(tx, { workspaceId, actor, action: 'field.deleted', changes: { id: fieldId, key: def.key, label: def.label, type: def.type } });
  });
}
