import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ExportBody, JobCreated, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../jobs/types.ts';
import { requestExport } from './service.ts';

export async function exportRoutes(app: FastifyInstance, { db, jobs }: { db: Db; jobs: JobQueue }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/workspaces/:workspaceId/exports', {
    schema: { tags: ['jobs'], params: WorkspaceParams, body: ExportBody, response: { 202: JobCreated } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      reply.status(202);
      return requestExport(db, jobs, request.membership!.workspaceId, request.auth!.agent.id, request.body);
    },
  });
}
