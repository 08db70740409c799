import { fold } from '@switchboard/shared/filter/fold';
import { summariseIds } from '@switchboard/shared/realtime';
import type { Sql } from '../../db/sql.ts';
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
async function restore(sql: Sql, contactId: number, before: Before, now: number): Promise<string[]> {
  const paths: string[] = [];
  const profile = Object.entries(before.p ?? {}).filter(([f]) => PROFILE.has(f)) as [ProfileColumn, string | null][];
  for (const [field, value] of profile) {
    // Unquoted, as everywhere: PostgreSQL knows the column by its lower-case name.
    await sql.run(`UPDATE Contact SET ${field} = ? WHERE id = ?`, [value, contactId]);
    paths.push(field);
  }
  if (profile.length) {
    const names = (await sql.get<{ firstName: string | null; lastName: string | null }>('SELECT firstName, lastName FROM Contact WHERE id = ?', [contactId]))!;
    await sql.run('UPDATE Contact SET nameKey = ? WHERE id = ?', [fold(displayName(names.firstName, names.lastName)), contactId]);
  }
  for (const [fieldId, v] of Object.entries(before.f ?? {})) {
    if (v === null) await sql.run('DELETE FROM FieldValue WHERE contactId = ? AND fieldId = ?', [contactId, Number(fieldId)]);
    else
      await sql.run(
        `INSERT INTO FieldValue (contactId, fieldId, text, textKey, number, time, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (contactId, fieldId) DO UPDATE SET text = excluded.text, textKey = excluded.textKey, number = excluded.number, time = excluded.time, updatedAt = excluded.updatedAt`,
        [contactId, Number(fieldId), v[0], v[1], v[2], v[3] === null ? null : new Date(v[3]), new Date(now)],
      );
    paths.push(`field:${fieldId}`);
  }
  for (const tagId of before.t ?? []) await sql.run('DELETE FROM ContactTag WHERE contactId = ? AND tagId = ?', [contactId, tagId]);
  if (before.t?.length) paths.push('tags');
  await sql.run('UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ?', [new Date(now), contactId]);
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
    const more = await db.tx(async (_tx, sql) => {
      const changes = await sql.all<Change>('SELECT id, contactId, kind, before, version FROM JobContactChange WHERE jobId = ? AND id > ? ORDER BY id LIMIT ?', [
        importJobId,
        cp.afterChangeId,
        BATCH,
      ]);
      if (!changes.length) {
        const now = Date.now();
        const changed = await sql.run(`UPDATE Job SET status = 'undone', updatedAt = ? WHERE id = ? AND status IN ('completed', 'failed', 'cancelled')`, [new Date(now), importJobId]);
        if (changed) await recordAuditSql(sql, { workspaceId, actor, action: 'import.undone', changes: { jobId: importJobId, undoJobId: ctx.job.id, kept: cp.kept.length } }, now);
        await ctx.commitBatch(sql, {}, cp);
        const imported = await loadWireJob(sql, importJobId);
        if (imported) await outbox.add(sql, workspaceId, 'job:progress', imported);
        return false;
      }
      const now = Date.now();
      const restored: number[] = [];
      const erased: number[] = [];
      let skipped = 0;
      for (const c of changes) {
        const contact = await sql.get<{ version: number }>('SELECT version FROM Contact WHERE id = ? AND workspaceId = ?', [c.contactId, workspaceId]);
        if (!contact) skipped++;
        else if (contact.version > c.version) {
          cp.kept.push(c.contactId);
          skipped++;
        } else if (c.kind === 'created') {
          await eraseInTx(sql, workspaceId, actor, c.contactId, null, { undoOfImport: String(importJobId) });
          erased.push(c.contactId);
        } else {
          const paths = await restore(sql, c.contactId, c.before ? (JSON.parse(c.before) as Before) : {}, now);
          await recordAuditSql(sql, { workspaceId, actor, contactId: c.contactId, action: 'contact.import_undone', changes: { importJobId: String(importJobId), restored: paths } }, now);
          restored.push(c.contactId);
        }
      }
      if (restored.length) await outbox.add(sql, workspaceId, 'contacts:changed', { jobId: String(ctx.job.id), ...summariseIds(restored), deleted: false });
      if (erased.length) await outbox.add(sql, workspaceId, 'contacts:changed', { jobId: String(ctx.job.id), ...summariseIds(erased), deleted: true });
      cp.afterChangeId = changes.at(-1)!.id;
      await ctx.commitBatch(sql, { read: changes.length, updated: restored.length + erased.length, skipped }, cp);
      return true;
    });
    gateway.publish(outbox);
    if (!more) return;
    ctx.reportProgress();
  }
};
