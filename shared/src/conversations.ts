import { z } from 'zod';
import { Id, IsoDateTime } from './common.ts';
import { Channel, channels, ConversationStatus } from './enums.ts';

export const AgentRef = z.object({ id: Id, name: z.string() });

export const Conversation = z
  .object({
    id: Id,
    channel: Channel,
    status: ConversationStatus,
    contact: z.object({ id: Id, name: z.string(), avatarUrl: z.string().nullable(), channelUserId: z.string() }),
    assignee: AgentRef.nullable(),
    lastMessageAt: IsoDateTime,
    preview: z.string(),
    unreadCount: z.number().int(),
    /** Segments the contact belongs to now: the inbox filters by these without asking again. */
    segmentIds: z.array(Id),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export const messageDirections = ['in', 'out'] as const;
export const deliveryStatuses = ['pending', 'sent', 'delivered', 'failed'] as const;

export const Message = z
  .object({
    id: Id,
    conversationId: Id,
    direction: z.enum(messageDirections),
    authorKind: z.enum(['contact', 'agent', 'bot', 'system']),
    agent: AgentRef.nullable(),
    body: z.string(),
    externalId: z.string().nullable(),
    deliveryStatus: z.enum(deliveryStatuses).nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

export const InboxQuery = z.object({
  segmentId: Id.optional(),
  status: z.enum(['open', 'pending', 'resolved', 'all']).default('open'),
  assignee: z.enum(['me', 'unassigned', 'all']).default('all'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type InboxQuery = z.input<typeof InboxQuery>;

export const ConversationList = z
  .object({ items: z.array(Conversation), nextCursor: z.string().nullable() })
  .meta({ id: 'ConversationList' });
export type ConversationList = z.infer<typeof ConversationList>;

export const ConversationParams = z.object({ workspaceId: Id, conversationId: Id });
export const MessagesQuery = z.object({
  before: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** A page of a conversation's messages, oldest first; `hasMore` = older ones exist (ask with `before` = the first id). */
export const MessagePage = z
  .object({ items: z.array(Message), hasMore: z.boolean() })
  .meta({ id: 'MessagePage' });
export type MessagePage = z.infer<typeof MessagePage>;

/** Inbound API body (API.md "Inbound messages"). Profile fields are optional; given ones update the contact. */
export const InboundMessageBody = z.object({
  channel: z.enum(channels),
  channelUserId: z.string().trim().min(1).max(200),
  profile: z
    .object({
      firstName: z.string().max(100),
      lastName: z.string().max(100),
      gender: z.string().max(20),
      language: z.string().max(10),
      timezone: z.string().max(64),
      avatarUrl: z.string().max(2000),
      email: z.string().max(254),
      phone: z.string().max(40),
      country: z.string().max(2),
    })
    .partial()
    .strict()
    .optional(),
  message: z.object({
    externalId: z.string().trim().min(1).max(200),
    text: z.string().min(1).max(10_000),
    sentAt: z.iso.datetime({ offset: true }).optional(),
  }),
});
export type InboundMessageBody = z.infer<typeof InboundMessageBody>;
export const InboundAccepted = z.object({ contactId: Id, conversationId: Id, messageId: Id });
