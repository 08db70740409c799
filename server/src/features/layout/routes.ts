import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Layout, LayoutParams, LayoutQuery, PutLayoutBody, roleAtLeast } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { forbidden } from '../../lib/errors.ts';
import { agentActor } from '../contacts/routes.ts';
import { getLayout, putLayout, resetLayout } from './service.ts';

export async function layoutRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const url = '/api/workspaces/:workspaceId/layout/:surface';

  r.get(url, {
    schema: { tags: ['layout'], params: LayoutParams, querystring: LayoutQuery, response: { 200: Layout } },
    preValidation: app.requireRole('agent'),
    handler: (request) =>
      getLayout(db, request.membership!.workspaceId, request.auth!.agent.id, request.params.surface, request.query.scope ?? 'agent'),
  });

  r.put(url, {
    schema: { tags: ['layout'], params: LayoutParams, querystring: LayoutQuery, body: PutLayoutBody, response: { 200: Layout } },
    preValidation: app.requireRole('agent'),
    handler: (request) => {
      const scope = request.query.scope ?? 'agent';
      if (scope === 'workspace' && !roleAtLeast(request.membership!.role, 'lead')) {
        throw forbidden('Only leads and admins set the workspace default layout');
      }
      return putLayout(db, request.membership!.workspaceId, agentActor(request), request.params.surface, scope, request.body.fields);
    },
  });

  r.delete(url, {
    schema: { tags: ['layout'], params: LayoutParams, response: { 200: Layout } },
    preValidation: app.requireRole('agent'),
    handler: (request) => resetLayout(db, request.membership!.workspaceId, agentActor(request), request.params.surface),
  });
}
