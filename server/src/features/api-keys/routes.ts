import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiKey, ApiKeyParams, CreateApiKeyBody, CreatedApiKey, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { idIn } from '../../lib/wire.ts';
import { createApiKey, listApiKeys, revokeApiKey } from './service.ts';

export async function apiKeyRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/api-keys';

  r.get(base, {
    schema: { tags: ['api-keys'], params: WorkspaceParams, response: { 200: z.array(ApiKey) } },
    preValidation: app.requireRole('admin'),
    handler: (request) => listApiKeys(db, request.membership!.workspaceId),
  });

  r.post(base, {
    schema: { tags: ['api-keys'], params: WorkspaceParams, body: CreateApiKeyBody, response: { 201: CreatedApiKey } },
    preValidation: app.requireRole('admin'),
    handler: async (request, reply) => {
      reply.status(201);
      return createApiKey(db, request.membership!.workspaceId, { kind: 'agent', id: request.auth!.agent.id }, request.body.name);
    },
  });

  r.delete(`${base}/:keyId`, {
    schema: { tags: ['api-keys'], params: ApiKeyParams, response: { 200: ApiKey } },
    preValidation: app.requireRole('admin'),
    handler: (request) =>
      revokeApiKey(db, request.membership!.workspaceId, { kind: 'agent', id: request.auth!.agent.id }, idIn(request.params.keyId)),
  });
}
