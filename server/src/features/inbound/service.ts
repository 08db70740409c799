import type { InboundMessageBody } from '@switchboard/shared';
import type { Db, Tx } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { changeBy, recordAudit, type Actor } from '../audit/service.ts';
import { publishContactChange } from '../contacts/broadcast.ts';
import { loadContactDetail, reloadContactRow } from '../contacts/detail.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { loadConversation, loadMessage, previewOf } from '../conversations/serialize.ts';
import { findChannelContact, normalizeInboundProfile, writeInboundContact } from './contact.ts';

export interface InboundResult {
  contactId: string;
  conversationId: string;
  messageId: string;
  /** The message was stored before (same externalId): nothing was written this time. */
  duplicate: boolean;
}

/**
 * The contact's live conversation: its open/pending one, else its latest resolved one reopened,
 * else a new one. One thread per contact keeps the whole history in one place for the agent.
 */
async function openConversation(tx: Tx, sql: Sql, p: { workspaceId: number; actor: Actor; contactId: number; channel: string; at: number; now: number }): Promise<number> {
  const current = await sql.get<{ id: number; status: string }>(
    `SELECT id, status FROM Conversation WHERE contactId = ? ORDER BY status = 'resolved', lastMessageAt DESC, id DESC LIMIT 1`,
    [p.contactId],
  );
  const audit = (action: string, changes: object) => recordAudit(tx, { workspaceId: p.workspaceId, actor: p.actor, contactId: p.contactId, action, changes });
  if (!current) {
    const id = (await sql.value<number>(
      `INSERT INTO Conversation (workspaceId, contactId, channel, status, lastMessageAt, preview, unreadCount, createdAt, updatedAt) VALUES (?, ?, ?, 'open', ?, '', 0, ?, ?) RETURNING id`,
      [p.workspaceId, p.contactId, p.channel, new Date(p.at), new Date(p.at), new Date(p.now)],
    ))!;
    await audit('conversation.created', { conversationId: String(id), channel: p.channel });
    return id;
  }
  if (current.status === 'resolved') {
    await sql.run(`UPDATE Conversation SET status = 'open', updatedAt = ? WHERE id = ?`, [new Date(p.now), current.id]);
    await audit('conversation.status_set', { conversationId: String(current.id), path: 'status', from: 'resolved', to: 'open' });
  }
  return current.id;
}

/**
 * Stores one inbound message (API.md "Inbound messages") in one transaction: the contact upserted
 * by (workspace, channel, channelUserId) with its profile, the conversation found or (re)opened,
 * the message stored once per (contact, externalId), the audit entries and the broadcasts, which
 * go out after the commit. Also the entry point of web chat visitors' messages.
 */
export async function receiveInbound(ctx: { db: Db; gateway: Gateway }, workspaceId: number, actor: Actor, body: InboundMessageBody): Promise<InboundResult> {
  const { db, gateway } = ctx;
  const outbox = gateway.outbox();
  const result = await db.tx(async (tx, sql): Promise<InboundResult> => {
    const now = Date.now();
    // A clock ahead of ours must not pin a conversation to the top of every inbox.
    const at = body.message.sentAt ? Math.min(Date.parse(body.message.sentAt), now) : now;
    const existing = await findChannelContact(sql, workspaceId, body.channel, body.channelUserId);
    // Validated before anything is written: a bad value leaves no half-stored message behind.
    const profile = normalizeInboundProfile(body.profile, existing?.country);

    if (existing) {
      const seen = await sql.get<{ id: number; conversationId: number }>(
        `SELECT id, conversationId FROM Message WHERE contactId = ? AND externalId = ? AND direction = 'in'`,
        [existing.id, body.message.externalId],
      );
      // A channel retrying a delivery gets the same answer and changes nothing.
      if (seen) return { contactId: String(existing.id), conversationId: String(seen.conversationId), messageId: String(seen.id), duplicate: true };
    }

    const catalogue = await loadCatalogue(sql, workspaceId);
    const before = existing ? await loadContactDetail(sql, workspaceId, existing.id, catalogue, existing) : null;
    const contact = await writeInboundContact(tx, sql, { workspaceId, actor, existing, channel: body.channel, channelUserId: body.channelUserId, profile, at, now });
    let segmentIds = before?.segmentIds;
    if (contact.touched) {
      // Only the contact's own row changed: read it again, keep the rest of `before`.
      const after = before ? await reloadContactRow(sql, workspaceId, before, catalogue) : await loadContactDetail(sql, workspaceId, contact.contactId, catalogue);
      await publishContactChange(sql, outbox, workspaceId, before, after, contact.changes, await changeBy(sql, actor));
      segmentIds = after.segmentIds;
    }

    const conversationId = await openConversation(tx, sql, { workspaceId, actor, contactId: contact.contactId, channel: body.channel, at, now });
    const atTime = new Date(at);
    const messageId = (await sql.value<number>(
      `INSERT INTO Message (workspaceId, conversationId, contactId, direction, authorKind, body, externalId, createdAt) VALUES (?, ?, ?, 'in', 'contact', ?, ?, ?) RETURNING id`,
      [workspaceId, conversationId, contact.contactId, body.message.text, body.message.externalId, atTime],
    ))!;
    // A late message counts as unread but replaces neither the preview nor the time of a newer one.
    await sql.run(
      `UPDATE Conversation SET preview = CASE WHEN ? >= lastMessageAt THEN ? ELSE preview END,
       lastMessageAt = CASE WHEN ? > lastMessageAt THEN ? ELSE lastMessageAt END, unreadCount = unreadCount + 1, updatedAt = ? WHERE id = ?`,
      [atTime, previewOf(body.message.text), atTime, atTime, new Date(now), conversationId],
    );

    await outbox.add(sql, workspaceId, 'conversation:upserted', await loadConversation(sql, workspaceId, conversationId, segmentIds));
    await outbox.add(sql, workspaceId, 'message:created', await loadMessage(sql, messageId), contact.contactId);
    return { contactId: String(contact.contactId), conversationId: String(conversationId), messageId: String(messageId), duplicate: false };
  });
  gateway.publish(outbox);
  return result;
}
