import type { FastifyInstance } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import {
  Id,
  WidgetTyping,
  type WidgetClientToServerEvents,
  type WidgetServerToClientEvents,
  type WidgetSocketData,
} from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { rooms, type Gateway } from '../../realtime/gateway.ts';
import { widgetLimits } from './limits.ts';
import { findVisitor, visitorConversationIds, VISITOR_COOKIE, type Visitor } from './visitors.ts';

export type WidgetNamespace = Namespace<WidgetClientToServerEvents, WidgetServerToClientEvents, Record<string, never>, WidgetSocketData>;
type WidgetSocket = Socket<WidgetClientToServerEvents, WidgetServerToClientEvents, Record<string, never>, WidgetSocketData>;

export const WIDGET_NAMESPACE = '/widget';

/**
 * A visitor's private room. Nothing is ever emitted to it: it only lets a node find the visitor's
 * sockets (on every node, through the adapter) to join a conversation its first message created.
 */
const visitorRoom = (widgetSessionId: number) => `widget-visitor:${widgetSessionId}`;

const namespaceOf = (gateway: Gateway): WidgetNamespace | undefined =>
  gateway.server?.of(WIDGET_NAMESPACE) as unknown as WidgetNamespace | undefined;

/** The visitor's open sockets join a conversation they just started. */
export function joinConversation(gateway: Gateway, visitor: Visitor, conversationId: number): void {
  namespaceOf(gateway)?.in(visitorRoom(visitor.widgetSessionId)).socketsJoin(rooms.conversation(conversationId));
}

/**
 * The `/widget` namespace. A visitor socket is authenticated by the visitor cookie alone and sits
 * in the rooms of its own conversations: agent replies (`gateway.toVisitor`) are the only
 * broadcasts it can receive. Its one command is `typing:set`; anything else is refused.
 */
export function setupWidgetSocket(app: FastifyInstance, { db, gateway }: { db: Db; gateway: Gateway }): WidgetNamespace {
  const nsp = namespaceOf(gateway);
  if (!nsp) throw new Error('setupWidgetSocket: call it after createRealtime');

  nsp.use(async (socket, next) => {
    try {
      const workspace = Id.safeParse((socket.handshake.auth as { workspaceId?: unknown } | undefined)?.workspaceId);
      const cookies = app.parseCookie(socket.request.headers.cookie ?? '');
      const raw = cookies[VISITOR_COOKIE];
      const unsigned = raw ? app.unsignCookie(raw) : undefined;
      const visitor =
        workspace.success && unsigned?.valid && unsigned.value ? await findVisitor(db, Number(workspace.data), unsigned.value) : null;
      if (!visitor) return next(new Error('unauthorized'));
      socket.data = { ...visitor };
      next();
    } catch (err) {
      app.log.error({ err }, 'widget socket handshake failed');
      next(new Error('internal'));
    }
  });

  nsp.on('connection', (socket: WidgetSocket) => {
    const { widgetSessionId, contactId } = socket.data;
    // Rooms come from the visitor's own contact, never from anything the client sends. The visitor
    // room is joined at once: joinConversation finds the sockets through it, also while the
    // conversations are being read.
    void socket.join(visitorRoom(widgetSessionId));
    visitorConversationIds(db.sql, contactId).then(
      (ids) => socket.join(ids.map((c) => rooms.conversation(c))),
      (err: unknown) => {
        app.log.error({ err }, 'widget socket rooms failed');
        socket.disconnect(true);
      },
    );

    const recent: number[] = [];
    const allowed = () => {
      const now = Date.now();
      while (recent.length && recent[0]! <= now - widgetLimits.socketCommands.windowMs) recent.shift();
      if (recent.length >= widgetLimits.socketCommands.max) return false;
      recent.push(now);
      return true;
    };

    let typingIn: number | null = null;
    const signalTyping = async (typing: boolean) => {
      const conversationId = typing ? (await visitorConversationIds(db.sql, contactId, 1))[0] : typingIn;
      if (conversationId === undefined || conversationId === null) return;
      typingIn = typing ? conversationId : null;
      gateway.signal(rooms.conversation(conversationId), 'typing:updated', {
        workspaceId: String(socket.data.workspaceId),
        conversationId: String(conversationId),
        who: { kind: 'contact', id: String(contactId), name: socket.data.name },
        typing,
      });
    };
    // One typing change at a time, in arrival order: "started" reads the conversation first, and a
    // quick "stopped" must not overtake it and leave the agents seeing a visitor typing forever.
    let turn: Promise<void> = Promise.resolve();
    const inTurn = (fn: () => Promise<void>) => {
      turn = turn.then(fn).catch((err: unknown) => app.log.error({ err }, 'widget typing failed'));
    };

    socket.on('typing:set', (payload, ack) => {
      const reply = typeof ack === 'function' ? ack : () => undefined;
      if (!allowed()) return reply({ ok: false, error: { code: 'rate_limited', message: 'Too many events; slow down' } });
      const parsed = WidgetTyping.safeParse(payload);
      if (!parsed.success) return reply({ ok: false, error: { code: 'validation', message: 'typing: must be true or false' } });
      inTurn(async () => {
        try {
          // Before the first message there is no conversation and nobody to tell.
          await signalTyping(parsed.data.typing);
          reply({ ok: true, data: null });
        } catch (err) {
          reply({ ok: false, error: { code: 'internal', message: 'Internal error' } });
          throw err;
        }
      });
    });

    // Agent commands do not exist here; say so instead of leaving the caller waiting.
    socket.onAny((name: string, ...args: unknown[]) => {
      if (name === 'typing:set') return;
      const ack = args.at(-1);
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'not_found', message: `No command ${name} for visitors` } });
    });

    socket.on('disconnect', () => {
      inTurn(async () => {
        if (typingIn !== null) await signalTyping(false);
      });
    });
  });

  return nsp;
}
