import { MAX_CUSTOM_FIELDS, type CreateFieldBody, type CustomField, type UpdateFieldBody } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { conflict, notFound } from '../../lib/errors.ts';
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

export async function listFields(sql: Sql, workspaceId: number): Promise<CustomField[]> {
  return [...(await loadCatalogue(sql, workspaceId)).byKey.values()].map(toField);
}

async function getDef(sql: Sql, workspaceId: number, fieldId: number): Promise<FieldDef> {
  const def = (await loadCatalogue(sql, workspaceId)).byId.get(fieldId);
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
  return toField(await getDef(db.sql, workspaceId, id));
}

/**
 * Segments whose filter mentions `custom.<key>` (a cheap text probe, exact enough for a guard).
 * Probed in JS: the workspace's segments are read either way, and neither SQLite's `instr` nor
 * PostgreSQL's `strpos` exists in the other (LIKE would need escaping and folds case on SQLite).
 */
async function segmentsUsing(sql: Sql, workspaceId: number, key: string): Promise<string[]> {
  const needle = `"custom.${key}"`;
  const rows = await sql.all<{ name: string; filter: string }>('SELECT name, filter FROM Segment WHERE workspaceId = ? ORDER BY name', [workspaceId]);
  return rows.filter((r) => r.filter.includes(needle)).map((r) => r.name);
}

export async function updateField(db: Db, workspaceId: number, actor: Actor, fieldId: number, body: UpdateFieldBody): Promise<CustomField> {
  await db.tx(async (tx, sql) => {
    const def = await getDef(sql, workspaceId, fieldId);
    const type = body.type ?? def.type;
    const valueCount = (await sql.value<number>('SELECT count(*) FROM FieldValue WHERE fieldId = ?', [fieldId])) ?? 0;
    if (body.type && body.type !== def.type && valueCount > 0) {
      throw conflict(`${def.label} has values on ${valueCount} contacts; clear them before changing its type`, { path: 'type', valueCount });
    }
    if (body.options && type !== 'select') throw conflict('only select fields have options', { path: 'options' });
    if (type === 'select' && !(body.options ?? def.options)) throw conflict('a select field needs options', { path: 'options' });
    if (body.options && def.type === 'select' && def.options) {
      // Removing an option that contacts still hold would leave values no input can show.
      const removed = def.options.filter((o) => !body.options!.includes(o));
      for (const option of removed) {
        const used = (await sql.value<number>('SELECT count(*) FROM FieldValue WHERE fieldId = ? AND text = ?', [fieldId, option])) ?? 0;
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
  return toField(await getDef(db.sql, workspaceId, fieldId));
}

export async function deleteField(db: Db, workspaceId: number, actor: Actor, fieldId: number): Promise<void> {
  await db.tx(async (tx, sql) => {
    const def = await getDef(sql, workspaceId, fieldId);
    const segments = await segmentsUsing(sql, workspaceId, def.key);
    if (segments.length) {
      throw conflict(`${def.label} is used by segments: ${segments.join(', ')}; change them first`, { path: 'fieldId', segments });
    }
    // Values cascade with the definition; the contacts that held one change version.
    await sql.run('UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id IN (SELECT contactId FROM FieldValue WHERE fieldId = ?)', [new Date(), fieldId]);
    await tx.customField.delete({ where: { id: fieldId } });
    await recordAudit(tx, { workspaceId, actor, action: 'field.deleted', changes: { id: fieldId, key: def.key, label: def.label, type: def.type } });
  });
}
