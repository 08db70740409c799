import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CatalogueItem, CreateTagBody, Ok, Tag, TagParams, UpdateTagBody, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { agentActor } from '../contacts/routes.ts';
import { createTag, deleteTag, listCatalogue, listTags, updateTag } from './service.ts';

const ws = (request: FastifyRequest) => request.membership!.workspaceId;

export async function tagRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/tags';

  r.get(base, {
    schema: { tags: ['tags'], params: WorkspaceParams, response: { 200: z.array(Tag) } },
    preValidation: app.requireRole('agent'),
    handler: (request) => listTags(db.sql, ws(request)),
  });
  // Agents create tags implicitly by adding them to a contact; managing the list is for leads.
  r.post(base, {
    schema: { tags: ['tags'], params: WorkspaceParams, body: CreateTagBody, response: { 201: Tag } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      reply.status(201);
      return createTag(db, ws(request), agentActor(request), request.body);
    },
  });
  r.patch(`${base}/:tagId`, {
    schema: { tags: ['tags'], params: TagParams, body: UpdateTagBody, response: { 200: Tag } },
    preValidation: app.requireRole('lead'),
    handler: (request) => updateTag(db, ws(request), agentActor(request), Number(request.params.tagId), request.body),
  });
  r.delete(`${base}/:tagId`, {
    schema: { tags: ['tags'], params: TagParams, response: { 200: Ok } },
    preValidation: app.requireRole('lead'),
    handler: async (request) => {
      await deleteTag(db, ws(request), agentActor(request), Number(request.params.tagId));
      return { ok: true as const };
    },
  });

  for (const kind of ['sequences', 'otn-topics'] as const) {
    r.get(`/api/workspaces/:workspaceId/${kind}`, {
      schema: { tags: ['catalogues'], params: WorkspaceParams, response: { 200: z.array(CatalogueItem) } },
      preValidation: app.requireRole('agent'),
      handler: (request) => listCatalogue(db.sql, ws(request), kind),
    });
  }
}
