import type { ContactDetail, ContactOp, ProfileField } from '@switchboard/shared';
import { fold } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { AppError, notFound, validation } from '../../lib/errors.ts';
import { changeBy, recordAudit, type Actor } from '../audit/service.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { publishContactChange } from './broadcast.ts';
import { loadCatalogue, type Catalogue } from '../catalogue/service.ts';
import { loadContactDetail } from './detail.ts';
import { lastChangeBy } from './history.ts';
import { displayName, normalizeProfile } from './profile.ts';
import { findContactRow, type ContactRow } from './serialize.ts';
import { storeValue, wireValue } from './values.ts';

/** One applied change: its audit action and `{ path, from, to }`. */
export interface Change {
  action: string;
  path: string;
  from: unknown;
  to: unknown;
}

const hasExpected = (op: object): op is { expected: unknown } => 'expected' in op;

async function conflict(sql: Sql, contactId: number, path: string, current: unknown): Promise<AppError> {
  return new AppError('conflict', `${path} was changed by someone else; it is now ${JSON.stringify(current)}`, {
    path,
    current,
    changedBy: await lastChangeBy(sql, contactId, path),
  });
}

async function findOrCreateTag(sql: Sql, workspaceId: number, name: string, now: number): Promise<{ id: number; name: string }> {
  const existing = await sql.get<{ id: number; name: string }>('SELECT id, name FROM Tag WHERE workspaceId = ? AND sb_fold(name) = ?', [workspaceId, fold(name)]);
  if (existing) return existing;
  const id = await sql.value<number>('INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?) RETURNING id', [workspaceId, name, new Date(now)]);
  return { id: id!, name };
}

/**
 * Applies one op with raw SQL inside the caller's transaction (pass the `sql` that `db.tx()`
 * gives); returns the change, or null for a no-op. Bulk jobs apply their action through it too,
 * so both write contacts the same way.
 */
export async function applyOp(sql: Sql, catalogue: Catalogue, contact: ContactRow, op: ContactOp, i: number, now: number): Promise<Change | null> {
  const at = (k: string) => `ops[${i}].${k}`;
  switch (op.op) {
    case 'addTag': {
      const tag = await findOrCreateTag(sql, contact.workspaceId, op.tag, now);
      const added = await sql.run('INSERT INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?) ON CONFLICT (contactId, tagId) DO NOTHING', [
        contact.id,
        tag.id,
        new Date(now),
      ]);
      return added ? { action: 'contact.tag_added', path: 'tags', from: null, to: tag.name } : null;
    }
    case 'removeTag': {
      const removed = await sql.run(
        'DELETE FROM ContactTag WHERE contactId = ? AND tagId IN (SELECT id FROM Tag WHERE workspaceId = ? AND sb_fold(name) = ?)',
        [contact.id, contact.workspaceId, fold(op.tag)],
      );
      return removed ? { action: 'contact.tag_removed', path: 'tags', from: op.tag, to: null } : null;
    }
    case 'setField':
    case 'clearField': {
      const def = catalogue.byKey.get(op.key);
      if (!def) throw validation([{ path: at('key'), message: `no custom field "${op.key}" in this workspace` }]);
      const path = `custom.${def.key}`;
      const row = await sql.get<{ text: string | null; number: number | null; time: number | null }>(
        'SELECT text, number, time FROM FieldValue WHERE contactId = ? AND fieldId = ?',
        [contact.id, def.id],
      );
      const current = row ? wireValue(def, row) : null;
      if (hasExpected(op) && op.expected !== undefined) {
        const expected = op.expected === null ? null : storeValue(def, op.expected);
        if (expected !== null && 'error' in expected) throw validation([{ path: at('expected'), message: expected.error }]);
        const currentStored = current === null ? null : storeValue(def, current);
        if (JSON.stringify(expected) !== JSON.stringify(currentStored)) throw await conflict(sql, contact.id, path, current);
      }
      if (op.op === 'clearField') {
        if (!row) return null;
        await sql.run('DELETE FROM FieldValue WHERE contactId = ? AND fieldId = ?', [contact.id, def.id]);
        return { action: 'contact.field_cleared', path, from: current, to: null };
      }
      const stored = storeValue(def, op.value);
      if ('error' in stored) throw validation([{ path: at('value'), message: `${def.label}: ${stored.error}` }]);
      const next = wireValue(def, stored);
      if (JSON.stringify(next) === JSON.stringify(current)) return null;
      await sql.run(
        `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time, updatedAt = excluded.updatedAt`,
        [contact.id, def.id, stored.text, stored.textKey, stored.number, stored.time === null ? null : new Date(stored.time), new Date(now)],
      );
      return { action: 'contact.field_set', path, from: current, to: next };
    }
    case 'setProfile': {
      const field: ProfileField = op.field;
      const current = contact[field];
      if (hasExpected(op) && op.expected !== undefined) {
        const expected = normalizeProfile(field, op.expected);
        if ('error' in expected) throw validation([{ path: at('expected'), message: expected.error }]);
        if (expected.value !== current) throw await conflict(sql, contact.id, field, current);
      }
      const next = normalizeProfile(field, op.value, contact.country ?? undefined);
      if ('error' in next) throw validation([{ path: at('value'), message: next.error }]);
      if (next.value === current) return null;
      contact[field] = next.value;
      // The column name is from the ProfileField enum, never from input text; unquoted, so that
      // PostgreSQL folds it to its lower-case column.
      await sql.run(`UPDATE Contact SET ${field} = ? WHERE id = ?`, [next.value, contact.id]);
      if (field === 'firstName' || field === 'lastName') {
        await sql.run('UPDATE Contact SET nameKey = ? WHERE id = ?', [fold(displayName(contact.firstName, contact.lastName)), contact.id]);
      }
      return { action: 'contact.profile_set', path: field, from: current, to: next.value };
    }
    case 'removeSequence': {
      const name = await sql.value<string>(
        'SELECT s.name FROM ContactSequence cs JOIN Sequence s ON s.id = cs.sequenceId WHERE cs.contactId = ? AND cs.sequenceId = ?',
        [contact.id, Number(op.sequenceId)],
      );
      if (name === undefined) return null;
      await sql.run('DELETE FROM ContactSequence WHERE contactId = ? AND sequenceId = ?', [contact.id, Number(op.sequenceId)]);
      return { action: 'contact.sequence_removed', path: 'sequences', from: name, to: null };
    }
    case 'removeOtnTopic': {
      const name = await sql.value<string>(
        'SELECT t.name FROM ContactOtnTopic ct JOIN OtnTopic t ON t.id = ct.topicId WHERE ct.contactId = ? AND ct.topicId = ?',
        [contact.id, Number(op.topicId)],
      );
      if (name === undefined) return null;
      await sql.run('DELETE FROM ContactOtnTopic WHERE contactId = ? AND topicId = ?', [contact.id, Number(op.topicId)]);
      return { action: 'contact.otn_topic_removed', path: 'otnTopics', from: name, to: null };
    }
  }
}

/**
 * Applies the ops of a PATCH atomically: any failure (validation, a stale `expected`) rolls the
 * whole request back. Every applied change gets its own audit entry in the same transaction, and
 * the contact's version is bumped once.
 */
export async function patchContact(
  db: Db,
  gateway: Gateway,
  workspaceId: number,
  actor: Actor,
  contactId: number,
  ops: ContactOp[],
): Promise<{ contact: ContactDetail; changes: Change[] }> {
  const catalogue = await loadCatalogue(db.sql, workspaceId);
  const outbox = gateway.outbox();
  const result = await db.tx(async (tx, sql) => {
    const contact = await findContactRow(sql, workspaceId, contactId);
    if (!contact) throw notFound('Contact');
    const before = await loadContactDetail(sql, workspaceId, contactId, catalogue);
    const now = Date.now();
    // One op after the other: each may read what the one before wrote (a tag it created).
    const applied: Change[] = [];
    for (const [i, op] of ops.entries()) {
      const change = await applyOp(sql, catalogue, contact, op, i, now);
      if (change) applied.push(change);
    }
    if (!applied.length) return { contact: before, changes: applied };
    await sql.run('UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ?', [new Date(now), contactId]);
    for (const c of applied) {
      await recordAudit(tx, { workspaceId, actor, contactId, action: c.action, changes: { path: c.path, from: c.from, to: c.to } });
    }
    const after = await loadContactDetail(sql, workspaceId, contactId, catalogue);
    await publishContactChange(sql, outbox, workspaceId, before, after, applied, await changeBy(sql, actor));
    return { contact: after, changes: applied };
  });
  gateway.publish(outbox);
  return result;
}
