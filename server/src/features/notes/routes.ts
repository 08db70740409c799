import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ContactParams, Note, NoteBody, NoteParams, Ok } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { addNote, deleteNote, editNote } from './service.ts';

export async function noteRoutes(app: FastifyInstance, { db, gateway }: { db: Db; gateway: Gateway }) {
  const caller = (request: FastifyRequest) => ({
    workspaceId: request.membership!.workspaceId,
    agentId: request.auth!.agent.id,
    role: request.membership!.role,
    gateway,
  });

  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/contacts/:contactId/notes';

  r.post(base, {
    schema: { tags: ['notes'], params: ContactParams, body: NoteBody, response: { 201: Note } },
    preValidation: app.requireRole('agent'),
    handler: async (request, reply) => {
      reply.status(201);
      return addNote(db, caller(request), Number(request.params.contactId), request.body.body);
    },
  });

  r.patch(`${base}/:noteId`, {
    schema: { tags: ['notes'], params: NoteParams, body: NoteBody, response: { 200: Note } },
    preValidation: app.requireRole('agent'),
    handler: (request) => editNote(db, caller(request), Number(request.params.contactId), Number(request.params.noteId), request.body.body),
  });

  r.delete(`${base}/:noteId`, {
    schema: { tags: ['notes'], params: NoteParams, response: { 200: Ok } },
    preValidation: app.requireRole('agent'),
    handler: async (request) => {
      await deleteNote(db, caller(request), Number(request.params.contactId), Number(request.params.noteId));
      return { ok: true as const };
    },
  });
}
