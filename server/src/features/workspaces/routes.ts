import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateWorkspaceBody, Workspace, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { createWorkspace, getWorkspace, listWorkspaces } from './service.ts';

export async function workspaceRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/workspaces', {
    schema: { tags: ['workspaces'], response: { 200: z.array(Workspace) } },
    handler: (request) => listWorkspaces(db, request.auth!.agent.id),
  });

  r.post('/api/workspaces', {
    schema: { tags: ['workspaces'], body: CreateWorkspaceBody, response: { 201: Workspace } },
    handler: async (request, reply) => {
      reply.status(201);
      return createWorkspace(db, request.auth!.agent.id, request.body.name);
    },
  });

  r.get('/api/workspaces/:workspaceId', {
    schema: { tags: ['workspaces'], params: WorkspaceParams, response: { 200: Workspace } },
    preValidation: app.requireRole('agent'),
    handler: (request) => getWorkspace(db, request.membership!.workspaceId, request.membership!.role),
  });
}
