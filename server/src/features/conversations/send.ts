import type { Message } from '@switchboard/shared';
import { conflict, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { loadConversation, MESSAGE_FROM, previewOf, toMessage, type MessageRow } from './serialize.ts';
import type { ConversationDeps } from './service.ts';

export interface AgentMessage {
  conversationId: number;
  body: string;
  /** Chosen by the client per message: a retry after a lost ack sends the same key. */
  idempotencyKey: string;
}

/**
 * Stores an agent's reply and pushes it. The idempotency key is stored as the message's
 * externalId (unique per conversation), so a retried send answers with the message already
 * stored and writes nothing. Web chat replies reach the visitor's socket at once ('delivered');
 * other channels get an OutboundDelivery row in the same transaction, which the webhook worker
 * picks up ('pending' until it reports back).
 */
export async function sendAgentMessage(deps: ConversationDeps, workspaceId: number, agentId: number, input: AgentMessage): Promise<Message> {
  const { db, gateway } = deps;
  const outbox = gateway.outbox();
  const { message, fresh, webchat } = await db.tx(async (tx, sql) => {
    const conv = await sql.get<{ id: number; contactId: number; channel: string }>('SELECT id, contactId, channel FROM Conversation WHERE id = ? AND workspaceId = ?', [
      input.conversationId,
      workspaceId,
    ]);
    if (!conv) throw notFound('Conversation');
    const webchat = conv.channel === 'webchat';
    const existing = await sql.get<MessageRow>(`${MESSAGE_FROM} WHERE m.conversationId = ? AND m.externalId = ?`, [conv.id, input.idempotencyKey]);
    if (existing) {
      // Inbound ids share the column; a key equal to one is a client bug, not a retry.
      if (existing.direction !== 'out') throw conflict('This idempotency key is already used by another message', { path: 'idempotencyKey' });
      return { message: toMessage(existing), fresh: false, webchat };
    }
    const now = new Date();
    const messageId = (await sql.value<number>(
      `INSERT INTO Message (workspaceId, conversationId, contactId, direction, authorKind, agentId, body, externalId, deliveryStatus, createdAt)
       VALUES (?, ?, ?, 'out', 'agent', ?, ?, ?, ?, ?) RETURNING id`,
      [workspaceId, conv.id, conv.contactId, agentId, input.body, input.idempotencyKey, webchat ? 'delivered' : 'pending', now],
    ))!;
    if (!webchat) {
      await sql.run(`INSERT INTO OutboundDelivery (messageId, attempts, status, nextAttemptAt, createdAt, updatedAt) VALUES (?, 0, 'pending', ?, ?, ?)`, [
        messageId,
        now,
        now,
        now,
      ]);
    }
    // Replying means the agent has read what came before. lastMessageAt only moves forward.
    await sql.run(
      `UPDATE Conversation SET preview = CASE WHEN ? >= lastMessageAt THEN ? ELSE preview END,
       lastMessageAt = CASE WHEN ? > lastMessageAt THEN ? ELSE lastMessageAt END, unreadCount = 0, updatedAt = ? WHERE id = ?`,
      [now, previewOf(input.body), now, now, now, conv.id],
    );
    await recordAudit(tx, {
      workspaceId,
      actor: { kind: 'agent', id: agentId },
      contactId: conv.contactId,
      action: 'message.sent',
      changes: { conversationId: String(conv.id), messageId: String(messageId) },
    });
    const row = (await sql.get<MessageRow>(`${MESSAGE_FROM} WHERE m.id = ?`, [messageId]))!;
    const message = toMessage(row);
    await outbox.add(sql, workspaceId, 'conversation:upserted', await loadConversation(sql, workspaceId, conv.id));
    // Messages carry no contact id of their own: name it, so erasure scrubs the event too.
    await outbox.add(sql, workspaceId, 'message:created', message, conv.contactId);
    return { message, fresh: true, webchat };
  });
  gateway.publish(outbox);
  // Visitors see the agent's name, never internal ids.
  if (fresh && webchat) gateway.toVisitor(input.conversationId, 'message:created', { ...message, agent: message.agent && { id: null, name: message.agent.name } });
  return message;
}
