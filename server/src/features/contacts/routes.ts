import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ContactDetail,
  ContactList,
  ContactListQuery,
  ContactParams,
  CreateContactBody,
  HistoryEntry,
  Ok,
  PatchContactBody,
  WorkspaceParams,
} from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../audit/service.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { contactBundle } from './bundle.ts';
import { createContact } from './create.ts';
import { loadContactDetail } from './detail.ts';
import { eraseContact } from './erase.ts';
import { listHistory } from './history.ts';
import { listContacts } from './list.ts';
import { patchContact } from './patch.ts';

export const agentActor = (request: FastifyRequest): Actor & { kind: 'agent' } => ({ kind: 'agent', id: request.auth!.agent.id });
const ws = (request: FastifyRequest) => request.membership!.workspaceId;

export async function contactRoutes(app: FastifyInstance, { db, gateway }: { db: Db; gateway: Gateway }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/contacts';
  const one = `${base}/:contactId`;

  r.get(base, {
    schema: { tags: ['contacts'], params: WorkspaceParams, querystring: ContactListQuery, response: { 200: ContactList } },
    // The one response not re-checked by its zod schema (which still documents it): encoding 50
    // contacts through it cost ~0.5 ms a page, a quarter of a cheap list request, and
    // serializeContacts builds every wire field by name, so no stored column can slip through.
    // contacts.test.ts parses the response with the schema.
    serializerCompiler: () => (data) => JSON.stringify(data),
    preValidation: app.requireRole('agent'),
    handler: (request) => {
      const q = request.query;
      return listContacts(db, ws(request), {
        filter: q.filter,
        segmentId: q.segmentId === undefined ? undefined : Number(q.segmentId),
        q: q.q || undefined,
        sort: q.sort,
        cursor: q.cursor,
        limit: q.limit,
      });
    },
  });

  r.post(base, {
    schema: { tags: ['contacts'], params: WorkspaceParams, body: CreateContactBody, response: { 201: ContactDetail } },
    preValidation: app.requireRole('agent'),
    handler: async (request, reply) => {
      reply.status(201);
      return createContact(db, gateway, ws(request), agentActor(request), request.body);
    },
  });

  r.get(one, {
    schema: { tags: ['contacts'], params: ContactParams, response: { 200: ContactDetail } },
    preValidation: app.requireRole('agent'),
    handler: (request) => loadContactDetail(db.sql, ws(request), Number(request.params.contactId)),
  });

  r.patch(one, {
    schema: { tags: ['contacts'], params: ContactParams, body: PatchContactBody, response: { 200: ContactDetail } },
    preValidation: app.requireRole('agent'),
    handler: async (request) => {
      const { contact } = await patchContact(db, gateway, ws(request), agentActor(request), Number(request.params.contactId), request.body.ops);
      return contact;
    },
  });

  r.delete(one, {
    schema: { tags: ['contacts'], params: ContactParams, response: { 200: Ok } },
    preValidation: app.requireRole('supervisor'),
    handler: async (request) => {
      await eraseContact(db, gateway, ws(request), agentActor(request), Number(request.params.contactId));
      return { ok: true as const };
    },
  });

  r.get(`${one}/export`, {
    schema: { tags: ['contacts'], params: ContactParams },
    preValidation: app.requireRole('agent'),
    handler: async (request, reply) => {
      const id = Number(request.params.contactId);
      const bundle = await contactBundle(db, ws(request), agentActor(request), id);
      reply.header('content-disposition', `attachment; filename="contact-${id}.json"`);
      reply.type('application/json; charset=utf-8');
      return JSON.stringify(bundle, null, 2);
    },
  });

  r.get(`${one}/history`, {
    schema: {
      tags: ['contacts'],
      params: ContactParams,
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) }),
      response: { 200: z.array(HistoryEntry) },
    },
    preValidation: app.requireRole('agent'),
    handler: (request) => listHistory(db.sql, ws(request), Number(request.params.contactId), request.query.limit),
  });
}
