import type { ExportBody } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { describeSelection, selectionWhere } from '../contacts/selection.ts';
import type { JobQueue } from '../jobs/types.ts';
import { checkColumns, visibleColumns } from './columns.ts';
import type { ExportParams } from './job.ts';

/**
 * Checks the request (one selection, a valid filter or segment, known columns) so a bad one is a
 * 400 now rather than a failed job later, then queues the export. Without `columns` the caller's
 * visible contacts-table columns are exported, fixed now, as they see them.
 */
export async function requestExport(db: Db, jobs: JobQueue, workspaceId: number, agentId: number, body: ExportBody): Promise<{ jobId: string }> {
  const catalogue = await loadCatalogue(db.sql, workspaceId);
  await selectionWhere(db.sql, workspaceId, body, catalogue, Date.now());
  const columns = checkColumns(body.columns ?? (await visibleColumns(db, workspaceId, agentId)), catalogue);
  const params: ExportParams = { filter: body.filter, segmentId: body.segmentId, contactIds: body.contactIds, columns };
  const jobId = await jobs.create({
    workspaceId,
    kind: 'export',
    authorId: agentId,
    params,
    title: `Export ${await describeSelection(db.sql, workspaceId, body)} to CSV`,
  });
  return { jobId: String(jobId) };
}
