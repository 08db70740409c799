import type { BulkAction } from '@switchboard/shared';
import { summariseIds } from '@switchboard/shared/realtime';
import { changeBy, recordAuditSql, type Actor } from '../audit/service.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { publishContactChange } from '../contacts/broadcast.ts';
import { loadContactDetail } from '../contacts/detail.ts';
import { eraseInTx } from '../contacts/erase.ts';
import { scrubJobFiles, type ErasedIdentity } from '../contacts/erase-files.ts';

import { applyOp } from '../contacts/patch.ts';
import { matchingIds, selectionWhere, type Selection } from '../contacts/selection.ts';
import { findContactRow } from '../contacts/serialize.ts';
import type { JobContext } from '../jobs/types.ts';
import { resolveAction } from './action.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';

export interface BulkParams extends Selection {
  action: BulkAction;
}

/** `total` ids were snapshotted when the job started; the first `done` of them are processed. */
interface Checkpoint {
  total: number;
  done: number;
}

const BATCH = 500;
/** Erased contacts gathered before their rows leave the workspace's import error files. */
const SCRUB_EVERY = 10_000;
/**
 * Up to this many contacts, each change is pushed as the side panel's own edits are
 * (`contact:updated` with its segment moves); above, one `contacts:changed` per batch, so a
 * million-contact action is two thousand events instead of a million.
 */
export const DETAILED_MAX = 50;

/**
 * Applies one action to every contact of the selection. The selection is resolved to ids once,
 * when the job starts, in one transaction (a snapshot: contacts that start matching while the
 * job runs are not touched, contacts deleted meanwhile are skipped). Then 500 per transaction:
 * the action, a version bump and one audit entry per changed contact, the checkpoint; the
 * batch's broadcasts go out after its commit. Resuming after a crash continues after the last
 * committed batch with the same snapshot. Counts: `updated` = contacts changed (for delete:
 * erased), `skipped` = already as asked, or gone.
 */
export async function bulkJob(ctx: JobContext): Promise<void> {
  const { db, job, gateway } = ctx;
  const params = job.params as BulkParams;
  const workspaceId = job.workspaceId;
  const catalogue = await loadCatalogue(db.sql, workspaceId);
  const action = await resolveAction(db.sql, workspaceId, params.action, catalogue);
  const actor: Actor = job.authorId === null ? { kind: 'system' } : { kind: 'agent', id: job.authorId };
  const by = await changeBy(db.sql, actor);
  const snapshot = ctx.file('targets.bin');
  let cp = job.checkpoint as Checkpoint | undefined;

  if (!cp) {
    await db.tx(async (_tx, sql) => {
      const where = await selectionWhere(sql, workspaceId, params, catalogue, Date.now());
      const total = await writeSnapshot(snapshot, matchingIds(sql, workspaceId, where));
      await ctx.commitBatch(sql, {}, (cp = { total, done: 0 }), { total });
    });
    ctx.reportProgress();
  }
  const detailed = cp!.total <= DETAILED_MAX;

  const erased: ErasedIdentity[] = [];
  while (cp!.done < cp!.total) {
    if (ctx.signal.aborted) return;
    const ids = readSnapshot(snapshot, cp!.done, BATCH);
    if (!ids.length) throw new Error('The list of contacts this job works on is missing; start the bulk action again');
    const outbox = gateway.outbox();
    await db.tx(async (_tx, sql) => {
      const now = Date.now();
      const changed: number[] = [];
      for (const id of ids) {
        if (action.op === 'delete') {
          if (await eraseInTx(sql, workspaceId, actor, id, detailed ? outbox : null, { jobId: String(job.id) }, erased)) changed.push(id);
          continue;
        }
        const contact = await findContactRow(sql, workspaceId, id);
        if (!contact) continue;
        const before = detailed ? await loadContactDetail(sql, workspaceId, id, catalogue) : null;
        const change = await applyOp(sql, catalogue, contact, action, 0, now);
        if (!change) continue;
        await sql.run('UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ?', [new Date(now), id]);
        const { action: name, ...diff } = change;
        await recordAuditSql(sql, { workspaceId, actor, contactId: id, action: name, changes: { ...diff, jobId: String(job.id) } }, now);
        if (before) await publishContactChange(sql, outbox, workspaceId, before, await loadContactDetail(sql, workspaceId, id, catalogue), [diff], by);
        changed.push(id);
      }
      if (!detailed && changed.length) {
        await outbox.add(sql, workspaceId, 'contacts:changed', { jobId: String(job.id), ...summariseIds(changed), deleted: action.op === 'delete' });
      }
      cp = { total: cp!.total, done: cp!.done + ids.length };
      await ctx.commitBatch(sql, { read: ids.length, updated: changed.length, skipped: ids.length - changed.length }, cp);
    });
    gateway.publish(outbox);
    // Error CSVs are rewritten in rounds, not per batch: each round reads every finished import's file.
    if (erased.length >= SCRUB_EVERY || (erased.length && cp!.done >= cp!.total)) await scrubJobFiles(db.sql, workspaceId, erased.splice(0));
    ctx.reportProgress();
  }
}
