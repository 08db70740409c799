import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateFieldBody, CustomField, FieldParams, Ok, UpdateFieldBody, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { agentActor } from '../contacts/routes.ts';
import { createField, deleteField, listFields, updateField } from './service.ts';

const ws = (request: FastifyRequest) => request.membership!.workspaceId;

export async function fieldRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/fields';

  r.get(base, {
    schema: { tags: ['fields'], params: WorkspaceParams, response: { 200: z.array(CustomField) } },
    preValidation: app.requireRole('agent'),
    handler: (request) => listFields(db.sql, ws(request)),
  });
  r.post(base, {
    schema: { tags: ['fields'], params: WorkspaceParams, body: CreateFieldBody, response: { 201: CustomField } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      reply.status(201);
      return createField(db, ws(request), agentActor(request), request.body);
    },
  });
  r.patch(`${base}/:fieldId`, {
    schema: { tags: ['fields'], params: FieldParams, body: UpdateFieldBody, response: { 200: CustomField } },
    preValidation: app.requireRole('lead'),
    handler: (request) => updateField(db, ws(request), agentActor(request), Number(request.params.fieldId), request.body),
  });
  r.delete(`${base}/:fieldId`, {
    schema: { tags: ['fields'], params: FieldParams, response: { 200: Ok } },
    preValidation: app.requireRole('lead'),
    handler: async (request) => {
      await deleteField(db, ws(request), agentActor(request), Number(request.params.fieldId));
      return { ok: true as const };
    },
  });
}
