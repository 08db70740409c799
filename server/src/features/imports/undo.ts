import { fold } from '@switchboard/shared/filter/fold';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { recordAuditSql, type Actor } from '../audit/service.ts';
import { eraseInTx } from '../contacts/erase.ts';
import { displayName } from '../contacts/profile.ts';
import type { JobHandler } from '../jobs/types.ts';
import { loadWireJob, type UndoCheckpoint } from '../jobs/store.ts';
import type { ProfileColumn } from './plan.ts';
import type { Before } from './writer.ts';

const BATCH = 500;
const PROFILE = new Set<string>(['firstName', 'lastName', 'email', 'gender', 'language', 'timezone', 'country']);

interface Change {
  id: number;
  contactId: number;
  kind: 'created' | 'updated';
  before: string | null;
  version: number;
}

/** Puts back what the import overwrote on one contact (the columns come from the Before record, checked against the profile fields). */
function restore(db: Db, contactId: number, before: Before, now: number): string[] {
  const paths: string[] = [];
  const profile = Object.entries(before.p ?? {}).filter(([f]) => PROFILE.has(f)) as [ProfileColumn, string | null][];
  for (const [field, value] of profile) {
    stmt(db.conn, `UPDATE Contact SET "${field}" = ? WHERE id = ?`).run(value, contactId);
    paths.push(field);
  }
  if (profile.length) {
    const names = stmt(db.conn, 'SELECT firstName, lastName FROM Contact WHERE id = ?').get(contactId) as { firstName: string | null; lastName: string | null };
    stmt(db.conn, 'UPDATE Contact SET nameKey = ? WHERE id = ?').run(fold(displayName(names.firstName, names.lastName)), contactId);
  }
  for (const [fieldId, v] of Object.entries(before.f ?? {})) {
    if (v === null) stmt(db.conn, 'DELETE FROM FieldValue WHERE contactId = ? AND fieldId = ?').run(contactId, Number(fieldId));
    else
      stmt(
        db.conn,
        `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time, updatedAt = excluded.updatedAt`,
      ).run(contactId, Number(fieldId), v[0], v[1], v[2], v[3], now);
    paths.push(`field:${fieldId}`);
  }
  for (const tagId of before.t ?? []) stmt(db.conn, 'DELETE FROM ContactTag WHERE contactId = ? AND tagId = ?').run(contactId, tagId);
  if (before.t?.length) paths.push('tags');
  stmt(db.conn, 'UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ?').run(now, contactId);
  return paths;
}

/**
 * Reverts an import, in batches over its JobContactChange rows: a contact it created is erased,
 * one it updated gets its overwritten values back, unless the contact changed since (its version
 * is past the one the import left), in which case it stays as it is and is listed as kept. The
 * last batch marks the import `undone`.
 */
export const undoJob: JobHandler = async (ctx) => {
  const { db, gateway } = ctx;
  const importJobId = (ctx.job.params as { importJobId: number }).importJobId;
  const workspaceId = ctx.job.workspaceId;
  const actor: Actor = ctx.job.authorId === null ? { kind: 'system' } : { kind: 'agent', id: ctx.job.authorId };
  const cp: UndoCheckpoint = { afterChangeId: 0, kept: [], ...(ctx.job.checkpoint as UndoCheckpoint | undefined) };
  for (;;) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('stopped');
    const outbox = gateway.outbox();
    const more = await db.tx(async (tx) => {
      const changes = stmt(db.conn, 'SELECT id, contactId, kind, before, version FROM JobContactChange WHERE jobId = ? AND id > ? ORDER BY id LIMIT ?').all(
        importJobId,
        cp.afterChangeId,
        BATCH,
      ) as Change[];
      if (!changes.length) {
        const now = Date.now();
        const r = stmt(db.conn, `UPDATE Job SET status = 'undone', updatedAt = ? WHERE id = ? AND status IN ('completed', 'failed', 'cancelled')`).run(now, importJobId);
        if (r.changes) recordAuditSql(db, { workspaceId, actor, action: 'import.undone', changes: { jobId: importJobId, undoJobId: ctx.job.id, kept: cp.kept.length } }, now);
        ctx.commitBatch({}, cp);
        const imported = loadWireJob(db, importJobId);
        if (imported) outbox.add(workspaceId, 'job:progress', imported);
        return false;
      }
      const now = Date.now();
      const restored: string[] = [];
      const erased: string[] = [];
      let skipped = 0;
      for (const c of changes) {
        const contact = stmt(db.conn, 'SELECT version FROM Contact WHERE id = ? AND workspaceId = ?').get(c.contactId, workspaceId) as { version: number } | undefined;
        if (!contact) skipped++;
        else if (contact.version > c.version) {
          cp.kept.push(c.contactId);
          skipped++;
        } else if (c.kind === 'created') {
          await eraseInTx(db, tx, workspaceId, actor, c.contactId, null, { undoOfImport: String(importJobId) });
          erased.push(String(c.contactId));
        } else {
          const paths = restore(db, c.contactId, c.before ? (JSON.parse(c.before) as Before) : {}, now);
          recordAuditSql(db, { workspaceId, actor, contactId: c.contactId, action: 'contact.import_undone', changes: { importJobId: String(importJobId), restored: paths } }, now);
          restored.push(String(c.contactId));
        }
      }
      if (restored.length) outbox.add(workspaceId, 'contacts:changed', { jobId: String(ctx.job.id), contactIds: restored, deleted: false });
      if (erased.length) outbox.add(workspaceId, 'contacts:changed', { jobId: String(ctx.job.id), contactIds: erased, deleted: true });
      cp.afterChangeId = changes.at(-1)!.id;
      ctx.commitBatch({ read: changes.length, updated: restored.length + erased.length, skipped }, cp);
      return true;
    });
    gateway.publish(outbox);
    if (!more) return;
    ctx.reportProgress();
  }
};
