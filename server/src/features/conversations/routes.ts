import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Conversation, ConversationList, ConversationParams, InboxQuery, MessagePage, MessagesQuery, WorkspaceParams } from '@switchboard/shared';
import { loadConversation } from './serialize.ts';
import { listConversations, listMessages } from './list.ts';
import type { ConversationDeps } from './service.ts';

const ws = (request: FastifyRequest) => request.membership!.workspaceId;

/** The inbox over REST (first load, paging); changes after that arrive over the socket. */
export async function conversationRoutes(app: FastifyInstance, { db }: ConversationDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/workspaces/:workspaceId/conversations';
  const one = `${base}/:conversationId`;

  r.get(base, {
    schema: { tags: ['conversations'], params: WorkspaceParams, querystring: InboxQuery, response: { 200: ConversationList } },
    preValidation: app.requireRole('agent'),
    handler: (request) => {
      const q = request.query;
      return listConversations(db.sql, ws(request), request.auth!.agent.id, {
        segmentId: q.segmentId === undefined ? undefined : Number(q.segmentId),
        status: q.status,
        assignee: q.assignee,
        cursor: q.cursor,
        limit: q.limit,
      });
    },
  });

  r.get(one, {
    schema: { tags: ['conversations'], params: ConversationParams, response: { 200: Conversation } },
    preValidation: app.requireRole('agent'),
    handler: (request) => loadConversation(db.sql, ws(request), Number(request.params.conversationId)),
  });

  r.get(`${one}/messages`, {
    schema: { tags: ['conversations'], params: ConversationParams, querystring: MessagesQuery, response: { 200: MessagePage } },
    preValidation: app.requireRole('agent'),
    handler: (request) =>
      listMessages(db.sql, ws(request), Number(request.params.conversationId), {
        before: request.query.before === undefined ? undefined : Number(request.query.before),
        limit: request.query.limit,
      }),
  });
}
