import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BulkBody, JobCreated, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { JobQueue } from '../jobs/types.ts';
import { requestBulk } from './service.ts';

/**
 * Lead and up. API.md also asks supervisor+ for `delete`: with the role order agent < supervisor
 * < lead < admin every caller of this route already is, so the route's guard covers both.
 */
export async function bulkRoutes(app: FastifyInstance, { db, jobs }: { db: Db; jobs: JobQueue }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/workspaces/:workspaceId/bulk', {
    schema: { tags: ['jobs'], params: WorkspaceParams, body: BulkBody, response: { 202: JobCreated } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      reply.status(202);
      return requestBulk(db, jobs, request.membership!.workspaceId, request.auth!.agent.id, request.body);
    },
  });
}
