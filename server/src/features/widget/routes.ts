import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Message, WidgetConversation, WidgetParams, WidgetSendBody, WidgetSession, WidgetSessionBody } from '@switchboard/shared';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { notFound, unauthorized } from '../../lib/errors.ts';
import { idIn } from '../../lib/wire.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { widgetLimits } from './limits.ts';
import { loadMessage } from '../conversations/serialize.ts';
import { visitorMessages } from './messages.ts';
import { joinConversation } from './socket.ts';
import { sendVisitorMessage } from './send.ts';
import {
  createVisitor,
  findVisitor,
  newVisitorToken,
  toWireVisitor,
  visitorTokenHash,
  VISITOR_COOKIE,
  VISITOR_TTL_MS,
  workspaceName,
  type Visitor,
} from './visitors.ts';

export async function widgetRoutes(app: FastifyInstance, { db, gateway, config }: { db: Db; gateway: Gateway; config: Config }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const base = '/api/widget/:workspaceId';

  /** The token of the visitor cookie when its signature holds. */
  const tokenOf = (request: FastifyRequest): string | null => {
    const raw = request.cookies[VISITOR_COOKIE];
    if (!raw) return null;
    const unsigned = request.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : null;
  };

  // Limits count per visitor when the cookie names one (hashed: the limiter's store never holds
  // a token), else per address.
  const visitorKey = (request: FastifyRequest) => {
    const token = tokenOf(request);
    const ws = (request.params as { workspaceId?: string }).workspaceId ?? '';
    return token ? `widget:${visitorTokenHash(Number(ws), token)}` : `widget-ip:${request.ip}`;
  };

  const workspaceOr404 = async (workspaceId: number) => {
    const name = await workspaceName(db.sql, workspaceId);
    if (name === null) throw notFound('Workspace');
    return { id: String(workspaceId), name };
  };

  const setVisitorCookie = (request: FastifyRequest, reply: FastifyReply, token: string) => {
    const secure = config.cookieSecure === 'always' || (config.cookieSecure === 'auto' && request.protocol === 'https');
    reply.setCookie(VISITOR_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      signed: true,
      maxAge: Math.floor(VISITOR_TTL_MS / 1000),
    });
  };

  const currentVisitor = async (request: FastifyRequest, workspaceId: number): Promise<Visitor | null> => {
    const token = tokenOf(request);
    return token ? findVisitor(db, workspaceId, token) : null;
  };

  r.post(`${base}/session`, {
    schema: { tags: ['widget'], params: WidgetParams, body: WidgetSessionBody, response: { 200: WidgetSession, 201: WidgetSession } },
    config: {
      public: true,
      rateLimit: { max: widgetLimits.sessionsPerIpPerMinute, timeWindow: '1 minute', keyGenerator: (req) => `widget-session:${req.ip}` },
    },
    handler: async (request, reply) => {
      const workspaceId = idIn(request.params.workspaceId);
      const workspace = await workspaceOr404(workspaceId);
      let token = tokenOf(request);
      let visitor = token ? await findVisitor(db, workspaceId, token) : null;
      if (!visitor) {
        // A browser keeps one token for every workspace's widget (see visitorTokenHash).
        token ??= newVisitorToken();
        visitor = await createVisitor(db, gateway, workspaceId, token, request.body);
        reply.status(201);
      }
      setVisitorCookie(request, reply, token!);
      return { workspace, visitor: await toWireVisitor(db.sql, visitor) };
    },
  });

  r.get(`${base}/conversation`, {
    schema: { tags: ['widget'], params: WidgetParams, response: { 200: WidgetConversation } },
    config: {
      public: true,
      rateLimit: { max: widgetLimits.readsPerVisitorPerMinute, timeWindow: '1 minute', keyGenerator: visitorKey },
    },
    handler: async (request) => {
      const workspaceId = idIn(request.params.workspaceId);
      const workspace = await workspaceOr404(workspaceId);
      const visitor = await currentVisitor(request, workspaceId);
      if (!visitor) return { workspace, visitor: null, messages: [] };
      return { workspace, visitor: await toWireVisitor(db.sql, visitor), messages: await visitorMessages(db.sql, visitor.contactId) };
    },
  });

  r.post(`${base}/messages`, {
    schema: { tags: ['widget'], params: WidgetParams, body: WidgetSendBody, response: { 200: Message, 201: Message } },
    config: {
      public: true,
      rateLimit: { max: widgetLimits.messagesPerVisitorPerMinute, timeWindow: '1 minute', keyGenerator: visitorKey },
    },
    handler: async (request, reply) => {
      const workspaceId = idIn(request.params.workspaceId);
      await workspaceOr404(workspaceId);
      const visitor = await currentVisitor(request, workspaceId);
      if (!visitor) throw unauthorized('Start a chat first (POST /api/widget/:workspaceId/session)');
      const sent = await sendVisitorMessage({ db, gateway }, visitor, request.body);
      if (sent.newConversation) joinConversation(gateway, visitor, sent.conversationId);
      const message = await loadMessage(db.sql, sent.messageId);
      if (!sent.duplicate) gateway.toVisitor(sent.conversationId, 'message:created', message);
      reply.status(sent.duplicate ? 200 : 201);
      return message;
    },
  });
}
