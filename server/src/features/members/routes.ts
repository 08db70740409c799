import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AddMemberBody, Member, MemberParams, Ok, UpdateMemberBody, WorkspaceParams } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { idIn } from '../../lib/wire.ts';
import { addMember, listMembers, removeMember, updateMember } from './service.ts';

export async function memberRoutes(app: FastifyInstance, { db }: { db: Db }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/members';

  // Agents see their colleagues (for assignment); only admins change membership.
  r.get(base, {
    schema: { tags: ['members'], params: WorkspaceParams, response: { 200: z.array(Member) } },
    preValidation: app.requireRole('agent'),
    handler: (request) => listMembers(db, request.membership!.workspaceId),
  });

  r.post(base, {
    schema: { tags: ['members'], params: WorkspaceParams, body: AddMemberBody, response: { 201: Member } },
    preValidation: app.requireRole('admin'),
    handler: async (request, reply) => {
      reply.status(201);
      return addMember(db, request.membership!.workspaceId, { kind: 'agent', id: request.auth!.agent.id }, request.body);
    },
  });

  r.patch(`${base}/:agentId`, {
    schema: { tags: ['members'], params: MemberParams, body: UpdateMemberBody, response: { 200: Member } },
    preValidation: app.requireRole('admin'),
    handler: (request) =>
      updateMember(
        db,
        request.membership!.workspaceId,
        { kind: 'agent', id: request.auth!.agent.id },
        idIn(request.params.agentId),
        request.body,
      ),
  });

  r.delete(`${base}/:agentId`, {
    schema: { tags: ['members'], params: MemberParams, response: { 200: Ok } },
    preValidation: app.requireRole('admin'),
    handler: async (request) => {
      await removeMember(db, request.membership!.workspaceId, { kind: 'agent', id: request.auth!.agent.id }, idIn(request.params.agentId));
      app.gateway.leaveWorkspace(idIn(request.params.agentId), request.membership!.workspaceId);
      return { ok: true as const };
    },
  });
}
