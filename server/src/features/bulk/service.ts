import type { BulkBody } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { describeSelection, selectionWhere } from '../contacts/selection.ts';
import type { JobQueue } from '../jobs/types.ts';
import { describeAction, resolveAction } from './action.ts';
import type { BulkParams } from './job.ts';

/**
 * Checks the selection and the action against the workspace (400 naming the field), then queues
 * the job. Which contacts it touches is decided when the job starts (bulk/job.ts).
 */
export async function requestBulk(db: Db, jobs: JobQueue, workspaceId: number, agentId: number, body: BulkBody): Promise<{ jobId: string }> {
  const catalogue = await loadCatalogue(db.sql, workspaceId);
  await selectionWhere(db.sql, workspaceId, body, catalogue, Date.now());
  await resolveAction(db.sql, workspaceId, body.action, catalogue);
  const params: BulkParams = { filter: body.filter, segmentId: body.segmentId, contactIds: body.contactIds, action: body.action };
  const jobId = await jobs.create({
    workspaceId,
    kind: 'bulk',
    authorId: agentId,
    params,
    title: `${describeAction(body.action)} ${await describeSelection(db.sql, workspaceId, body)}`,
  });
  return { jobId: String(jobId) };
}
