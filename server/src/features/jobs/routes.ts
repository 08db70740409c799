import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Id, Job, JobKind, JobList, JobParams, JobStatus, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { loadJobRow, listJobRows, serializeJobs } from './store.ts';
import type { JobRunner } from './runner.ts';

const ListQuery = z.object({
  kind: JobKind.optional(),
  status: JobStatus.optional(),
  /** Newest first; `before` is the last id of the previous page. */
  before: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

function sendCsv(reply: FastifyReply, path: string, filename: string) {
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${filename}"`);
  // Generated files are never re-rendered by the console: no sniffing into HTML.
  reply.header('x-content-type-options', 'nosniff');
  return reply.send(createReadStream(path));
}

/**
 * The Jobs page: every member may watch jobs (read-only); results carry contact data, so their
 * files and cancelling need lead, the role that starts imports, exports and bulk actions.
 */
export async function jobRoutes(app: FastifyInstance, { db, jobs }: { db: Db; jobs: JobRunner }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/jobs';
  const ws = (request: { membership: { workspaceId: number } | null }) => request.membership!.workspaceId;
  const jobOf = async (request: { membership: { workspaceId: number } | null; params: { jobId: string } }) => {
    const row = await loadJobRow(db.sql, Number(request.params.jobId), ws(request));
    if (!row) throw notFound('Job');
    return row;
  };

  r.get(base, {
    schema: { tags: ['jobs'], params: WorkspaceParams, querystring: ListQuery, response: { 200: JobList } },
    preValidation: app.requireRole('agent'),
    handler: async (request) => {
      const q = request.query;
      const rows = await listJobRows(db.sql, ws(request), { limit: q.limit, beforeId: q.before === undefined ? undefined : Number(q.before), kind: q.kind, status: q.status });
      return { items: await serializeJobs(db.sql, rows) };
    },
  });

  r.get(`${base}/:jobId`, {
    schema: { tags: ['jobs'], params: JobParams, response: { 200: Job } },
    preValidation: app.requireRole('agent'),
    handler: async (request) => (await serializeJobs(db.sql, [await jobOf(request)]))[0]!,
  });

  r.get(`${base}/:jobId/errors.csv`, {
    schema: { tags: ['jobs'], params: JobParams },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      const row = await jobOf(request);
      if (!row.errorFile || !existsSync(row.errorFile)) throw notFound('Error file');
      return sendCsv(reply, row.errorFile, `${row.kind}-${row.id}-errors.csv`);
    },
  });

  r.get(`${base}/:jobId/download`, {
    schema: { tags: ['jobs'], params: JobParams },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      const row = await jobOf(request);
      if (!row.resultFile) throw notFound('Download');
      if (row.status !== 'completed') throw new AppError('conflict', `The ${row.kind} is ${row.status}; its file is ready once it completes`, { path: 'status', status: row.status });
      if (!existsSync(row.resultFile)) throw notFound('Download');
      return sendCsv(reply, row.resultFile, `${row.kind}-${row.id}.csv`);
    },
  });

  r.post(`${base}/:jobId/cancel`, {
    schema: { tags: ['jobs'], params: JobParams, response: { 200: Job } },
    preValidation: app.requireRole('lead'),
    handler: async (request) => {
      const workspaceId = ws(request);
      const jobId = Number(request.params.jobId);
      await jobs.cancelBy(workspaceId, { kind: 'agent', id: request.auth!.agent.id }, jobId);
      return (await serializeJobs(db.sql, [(await loadJobRow(db.sql, jobId, workspaceId))!]))[0]!;
    },
  });
}
