import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CreateSegmentBody, MembershipParams, Ok, Segment, SegmentParams, UpdateSegmentBody, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { agentActor } from '../contacts/routes.ts';
import { checkMembership, createSegment, deleteSegment, getSegment, listSegments, updateSegment } from './service.ts';

const ws = (request: FastifyRequest) => request.membership!.workspaceId;

export async function segmentRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/segments';

  r.get(base, {
    schema: { tags: ['segments'], params: WorkspaceParams, response: { 200: z.array(Segment) } },
    preValidation: app.requireRole('agent'),
    handler: (request) => listSegments(db.sql, ws(request)),
  });

  r.post(base, {
    schema: { tags: ['segments'], params: WorkspaceParams, body: CreateSegmentBody, response: { 201: Segment } },
    preValidation: app.requireRole('lead'),
    handler: async (request, reply) => {
      reply.status(201);
      return createSegment(db, ws(request), agentActor(request), request.body);
    },
  });

  r.get(`${base}/:segmentId`, {
    schema: { tags: ['segments'], params: SegmentParams, response: { 200: Segment } },
    preValidation: app.requireRole('agent'),
    handler: (request) => getSegment(db.sql, ws(request), Number(request.params.segmentId)),
  });

  r.patch(`${base}/:segmentId`, {
    schema: { tags: ['segments'], params: SegmentParams, body: UpdateSegmentBody, response: { 200: Segment } },
    preValidation: app.requireRole('lead'),
    handler: (request) => updateSegment(db, ws(request), agentActor(request), Number(request.params.segmentId), request.body),
  });

  r.delete(`${base}/:segmentId`, {
    schema: { tags: ['segments'], params: SegmentParams, response: { 200: Ok } },
    preValidation: app.requireRole('lead'),
    handler: async (request) => {
      await deleteSegment(db, ws(request), agentActor(request), Number(request.params.segmentId));
      return { ok: true as const };
    },
  });

  r.get(`${base}/:segmentId/members/:contactId`, {
    schema: { tags: ['segments'], params: MembershipParams, response: { 200: z.object({ member: z.boolean() }) } },
    preValidation: app.requireRole('agent'),
    handler: async (request) => ({ member: await checkMembership(db.sql, ws(request), Number(request.params.segmentId), Number(request.params.contactId)) }),
  });
}
