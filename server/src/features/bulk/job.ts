import type { BulkAction } from '@switchboard/shared';
import { stmt } from '../../lib/sql.ts';
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
  const catalogue = loadCatalogue(db, workspaceId);
  const action = resolveAction(db, workspaceId, params.action, catalogue);
  const actor: Actor = job.authorId === null ? { kind: 'system' } : { kind: 'agent', id: job.authorId };
  const by = changeBy(db, actor);
  const snapshot = ctx.file('targets.bin');
  let cp = job.checkpoint as Checkpoint | undefined;

  if (!cp) {
    await db.tx(async () => {
      const where = selectionWhere(db, workspaceId, params, catalogue, Date.now());
      const total = writeSnapshot(snapshot, matchingIds(db, workspaceId, where));
      ctx.commitBatch({}, (cp = { total, done: 0 }), { total });
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
    await db.tx(async (tx) => {
      const now = Date.now();
      const changed: number[] = [];
      for (const id of ids) {
        if (action.op === 'delete') {
          if (await eraseInTx(db, tx, workspaceId, actor, id, detailed ? outbox : null, { jobId: String(job.id) }, erased)) changed.push(id);
          continue;
        }
        const contact = findContactRow(db, workspaceId, id);
        if (!contact) continue;
        const before = detailed ? loadContactDetail(db, workspaceId, id, catalogue) : null;
        const change = applyOp(db, catalogue, contact, action, 0, now);
        if (!change) continue;
        stmt(db.conn, 'UPDATE Contact SET version = version + 1, updatedAt = ? WHERE id = ?').run(now, id);
        const { action: name, ...diff } = change;
        recordAuditSql(db, { workspaceId, actor, contactId: id, action: name, changes: { ...diff, jobId: String(job.id) } }, now);
        if (before) publishContactChange(outbox, workspaceId, before, loadContactDetail(db, workspaceId, id, catalogue), [diff], by);
        changed.push(id);
      }
      if (!detailed && changed.length) {
        outbox.add(workspaceId, 'contacts:changed', { jobId: String(job.id), contactIds: changed.map(String), deleted: action.op === 'delete' });
      }
      cp = { total: cp!.total, done: cp!.done + ids.length };
      ctx.commitBatch({ read: ids.length, updated: changed.length, skipped: ids.length - changed.length }, cp);
    });
    gateway.publish(outbox);
    // Error CSVs are rewritten in rounds, not per batch: each round reads every finished import's file.
    if (erased.length >= SCRUB_EVERY || (erased.length && cp!.done >= cp!.total)) scrubJobFiles(db, workspaceId, erased.splice(0));
    ctx.reportProgress();
  }
}
