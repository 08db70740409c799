import { z } from 'zod';
import type { ErrorCode } from './errors.ts';
import { Email, Id } from './common.ts';
import { Message } from './conversations.ts';

/**
 * The web chat widget: a public page where a visitor chats with a workspace's agents. The visitor
 * is known by an HTTP-only cookie only; everything here is scoped to that visitor's own contact.
 */

export const WidgetParams = z.object({ workspaceId: Id });

/** Optional pre-chat details; used when the visitor is created, ignored when it is resumed. */
export const WidgetSessionBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
    email: Email.optional(),
  })
  .strict()
  .optional();
export type WidgetSessionBody = z.infer<typeof WidgetSessionBody>;

export const WidgetVisitor = z
  .object({
    /** The public id of the visitor (its contact's channel user id), never the cookie token. */
    visitorId: z.string(),
    name: z.string().nullable(),
    /** The visitor's current conversation; null until its first message. */
    conversationId: Id.nullable(),
  })
  .meta({ id: 'WidgetVisitor' });
export type WidgetVisitor = z.infer<typeof WidgetVisitor>;

export const WidgetSession = z
  .object({ workspace: z.object({ id: Id, name: z.string() }), visitor: WidgetVisitor })
  .meta({ id: 'WidgetSession' });
export type WidgetSession = z.infer<typeof WidgetSession>;

/** What the page loads: the workspace, and the visitor with its messages when the cookie names one. */
export const WidgetConversation = z
  .object({
    workspace: z.object({ id: Id, name: z.string() }),
    visitor: WidgetVisitor.nullable(),
    /** Oldest first; the visitor's own conversations only. */
    messages: z.array(Message),
  })
  .meta({ id: 'WidgetConversation' });
export type WidgetConversation = z.infer<typeof WidgetConversation>;

export const WidgetSendBody = z.object({
  text: z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters'),
  /** Chosen by the page for each message; sending it again (a retry) never duplicates. */
  clientMessageId: z.string().regex(/^[\w-]{8,100}$/, 'must be 8 to 100 letters, digits, _ or -'),
});
export type WidgetSendBody = z.infer<typeof WidgetSendBody>;

export const WidgetTyping = z.object({ typing: z.boolean() });

type WidgetAck<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

/** Socket.IO `/widget` namespace: what the server sends a visitor (bare payloads, no envelope). */
export interface WidgetServerToClientEvents {
  'message:created': (message: Message) => void;
  'typing:updated': (event: { conversationId: string; who: { kind: string; id: string | null; name: string | null }; typing: boolean }) => void;
}

export interface WidgetClientToServerEvents {
  'typing:set': (payload: z.input<typeof WidgetTyping>, ack?: (a: WidgetAck<null>) => void) => void;
}

export interface WidgetSocketData {
  widgetSessionId: number;
  workspaceId: number;
  contactId: number;
  visitorId: string;
  name: string | null;
}
