import type { ContactDetail, ContactOp, ProfileField } from '@switchboard/shared';
import { fold } from '@switchboard/shared';
import type { Db, Tx } from '../../db/client.ts';
import { AppError, notFound, validation } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
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

function conflict(db: Db, contactId: number, path: string, current: unknown): AppError {
  return new AppError('conflict', `${path} was changed by someone else; it is now ${JSON.stringify(current)}`, {
    path,
    current,
    changedBy: lastChangeBy(db, contactId, path),
  });
}

function findOrCreateTag(db: Db, workspaceId: number, name: string, now: number): { id: number; name: string } {
  const existing = stmt(db.conn, 'SELECT id, name FROM Tag WHERE workspaceId = ? AND sb_fold(name) = ?').get(workspaceId, fold(name)) as
    | { id: number; name: string }
    | undefined;
  if (existing) return existing;
  const info = stmt(db.conn, 'INSERT INTO Tag (workspaceId, name, createdAt) VALUES (?, ?, ?)').run(workspaceId, name, now);
  return { id: Number(info.lastInsertRowid), name };
}

/**
 * Applies one op with raw SQL on the transaction's connection; returns the change, or null for a
 * no-op. Bulk jobs apply their action through it too, so both write contacts the same way.
 */
export function applyOp(db: Db, catalogue: Catalogue, contact: ContactRow, op: ContactOp, i: number, now: number): Change | null {
  const at = (k: string) => `ops[${i}].${k}`;
  switch (op.op) {
    case 'addTag': {
      const tag = findOrCreateTag(db, contact.workspaceId, op.tag, now);
      const r = stmt(db.conn, 'INSERT OR IGNORE INTO ContactTag (contactId, tagId, createdAt) VALUES (?, ?, ?)').run(contact.id, tag.id, now);
      return r.changes ? { action: 'contact.tag_added', path: 'tags', from: null, to: tag.name } : null;
    }
    case 'removeTag': {
      const r = stmt(
        db.conn,
        'DELETE FROM ContactTag WHERE contactId = ? AND tagId IN (SELECT id FROM Tag WHERE workspaceId = ? AND sb_fold(name) = ?)',
      ).run(contact.id, contact.workspaceId, fold(op.tag));
      return r.changes ? { action: 'contact.tag_removed', path: 'tags', from: op.tag, to: null } : null;
    }
    case 'setField':
    case 'clearField': {
      const def = catalogue.byKey.get(op.key);
      if (!def) throw validation([{ path: at('key'), message: `no custom field "${op.key}" in this workspace` }]);
      const path = `custom.${def.key}`;
      const row = stmt(db.conn, 'SELECT text, number, time FROM FieldValue WHERE contactId = ? AND fieldId = ?').get(contact.id, def.id) as
        | { text: string | null; number: number | null; time: number | null }
        | undefined;
      const current = row ? wireValue(def, row) : null;
      if (hasExpected(op) && op.expected !== undefined) {
        const expected = op.expected === null ? null : storeValue(def, op.expected);
        if (expected !== null && 'error' in expected) throw validation([{ path: at('expected'), message: expected.error }]);
        const currentStored = current === null ? null : storeValue(def, current);
        if (JSON.stringify(expected) !== JSON.stringify(currentStored)) throw conflict(db, contact.id, path, current);
      }
      if (op.op === 'clearField') {
        if (!row) return null;
        stmt(db.conn, 'DELETE FROM FieldValue WHERE contactId = ? AND fieldId = ?').run(contact.id, def.id);
        return { action: 'contact.field_cleared', path, from: current, to: null };
      }
      const stored = storeValue(def, op.value);
      if ('error' in stored) throw validation([{ path: at('value'), message: `${def.label}: ${stored.error}` }]);
      const next = wireValue(def, stored);
      if (JSON.stringify(next) === JSON.stringify(current)) return null;
      stmt(
        db.conn,
        `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time, updatedAt = excluded.updatedAt`,
      ).run(contact.id, def.id, stored.text, stored.textKey, stored.number, stored.time, now);
      return { action: 'contact.field_set', path, from: current, to: next };
    }
    case 'setProfile': {
      const field: ProfileField = op.field;
      const current = contact[field];
      if (hasExpected(op) && op.expected !== undefined) {
        const expected = normalizeProfile(field, op.expected);
        if ('error' in expected) throw validation([{ path: at('expected'), message: expected.error }]);
        if (expected.value !== current) throw conflict(db, contact.id, field, current);
      }
      const next = normalizeProfile(field, op.value, contact.country ?? undefined);
      if ('error' in next) throw validation([{ path: at('value'), message: next.error }]);
      if (next.value === current) return null;
      contact[field] = next.value;
      // The column name is from the ProfileField enum, never from input text.
      stmt(db.conn, `UPDATE Contact SET "${field}" = ? WHERE id = ?`).run(next.value, contact.id);
      if (field === 'firstName' || field === 'lastName') {
        stmt(db.conn, 'UPDATE Contact SET nameKey = ? WHERE id = ?').run(fold(displayName(contact.firstName, contact.lastName)), contact.id);
      }
      return { action: 'contact.profile_set', path: field, from: current, to: next.value };
    }
    case 'removeSequence': {
      const name = stmt(db.conn, 'SELECT s.name FROM ContactSequence cs JOIN Sequence s ON s.id = cs.sequenceId WHERE cs.contactId = ? AND cs.sequenceId = ?').pluck().get(contact.id, Number(op.sequenceId));
      if (name === undefined) return null;
      stmt(db.conn, 'DELETE FROM ContactSequence WHERE contactId = ? AND sequenceId = ?').run(contact.id, Number(op.sequenceId));
      return { action: 'contact.sequence_removed', path: 'sequences', from: name, to: null };
    }
    case 'removeOtnTopic': {
      const name = stmt(db.conn, 'SELECT t.name FROM ContactOtnTopic ct JOIN OtnTopic t ON t.id = ct.topicId WHERE ct.contactId = ? AND ct.topicId = ?').pluck().get(contact.id, Number(op.topicId));
      if (name === undefined) return null;
      stmt(db.conn, 'DELETE FROM ContactOtnTopic WHERE contactId = ? AND topicId = ?').run(contact.id, Number(op.topicId));
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
  const catalogue = loadCatalogue(db, workspaceId);
  const outbox = gateway.outbox();
  const result = await db.tx(async (tx: Tx) => {
    const contact = findContactRow(db, workspaceId, contactId);
    if (!contact) throw notFound('Contact');
    const before = loadContactDetail(db, workspaceId, contactId, catalogue);
    const now = Date.now();
    const applied = ops.map((op, i) => applyOp(db, catalogue, contact, op, i, now)).filter((c): c is Change => c !== null);
    if (!applied.length) return { contact: before, changes: applied };
    stmt(db.conn, 'UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ?').run(now, contactId);
    for (const c of applied) {
      await recordAudit(tx, { workspaceId, actor, contactId, action: c.action, changes: { path: c.path, from: c.from, to: c.to } });
    }
    const after = loadContactDetail(db, workspaceId, contactId, catalogue);
    publishContactChange(outbox, workspaceId, before, after, applied, changeBy(db, actor));
    return { contact: after, changes: applied };
  });
  gateway.publish(outbox);
  return result;
}
