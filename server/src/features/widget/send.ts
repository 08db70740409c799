import type { WidgetSendBody } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { receiveInbound } from '../inbound/service.ts';
import { visitorConversationIds, widgetActor, type Visitor } from './visitors.ts';

export interface SentVisitorMessage {
  conversationId: number;
  messageId: number;
  duplicate: boolean;
  /** The message started a conversation the visitor's sockets are not in yet. */
  newConversation: boolean;
}

/**
 * The widget is a channel like any other: a visitor's message goes through the inbound service
 * (contact, conversation, broadcast to agents), with the page's client message id as the
 * channel's message id so a retried send is recognised and stored once.
 */
export async function sendVisitorMessage(ctx: { db: Db; gateway: Gateway }, visitor: Visitor, body: WidgetSendBody): Promise<SentVisitorMessage> {
  const before = (await visitorConversationIds(ctx.db.sql, visitor.contactId, 1))[0];
  const result = await receiveInbound(ctx, visitor.workspaceId, widgetActor, {
    channel: 'webchat',
    channelUserId: visitor.visitorId,
    message: { externalId: body.clientMessageId, text: body.text },
  });
  const conversationId = Number(result.conversationId);
  return { conversationId, messageId: Number(result.messageId), duplicate: result.duplicate, newConversation: conversationId !== before };
}
