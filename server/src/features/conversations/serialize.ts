import type { Channel, Conversation, ConversationStatus, Message } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { notFound } from '../../lib/errors.ts';
import { displayName } from '../contacts/profile.ts';
import { contactSegmentIds } from './segments.ts';

export interface ConversationRow {
  id: number;
  workspaceId: number;
  contactId: number;
  channel: string;
  status: string;
  assigneeId: number | null;
  assigneeName: string | null;
  lastMessageAt: number;
  preview: string;
  unreadCount: number;
  createdAt: number;
  firstName: string | null;
  lastName: string | null;
  avatarUrl: string | null;
  channelUserId: string;
}

/** `v` is the conversation, `c` its contact (the segment filter compiles against `c`). */
export const CONVERSATION_FROM = `SELECT v.id, v.workspaceId, v.contactId, v.channel, v.status, v.assigneeId, a.name AS assigneeName,
  v.lastMessageAt, v.preview, v.unreadCount, v.createdAt, c.firstName, c.lastName, c.avatarUrl, c.channelUserId
  FROM Conversation v JOIN Contact c ON c.id = v.contactId LEFT JOIN Agent a ON a.id = v.assigneeId`;

const iso = (ms: number) => new Date(ms).toISOString();

export function toConversation(r: ConversationRow, segmentIds: string[]): Conversation {
  return {
    id: String(r.id),
    channel: r.channel as Channel,
    status: r.status as ConversationStatus,
    contact: { id: String(r.contactId), name: displayName(r.firstName, r.lastName), avatarUrl: r.avatarUrl, channelUserId: r.channelUserId },
    assignee: r.assigneeId === null ? null : { id: String(r.assigneeId), name: r.assigneeName ?? '' },
    lastMessageAt: iso(r.lastMessageAt),
    preview: r.preview,
    unreadCount: r.unreadCount,
    segmentIds,
    createdAt: iso(r.createdAt),
  };
}

/** Rows → wire conversations, with every contact's current segments computed in one batch. */
export async function serializeConversations(sql: Sql, workspaceId: number, rows: ConversationRow[]): Promise<Conversation[]> {
  const segments = await contactSegmentIds(sql, workspaceId, rows.map((r) => r.contactId));
  return rows.map((r) => toConversation(r, segments.get(r.contactId) ?? []));
}

export function findConversationRow(sql: Sql, workspaceId: number, conversationId: number): Promise<ConversationRow | undefined> {
  return sql.get<ConversationRow>(`${CONVERSATION_FROM} WHERE v.id = ? AND v.workspaceId = ?`, [conversationId, workspaceId]);
}

/**
 * One conversation as the wire carries it. Another workspace's id is "not found". Callers that
 * have just computed the contact's segments (inbound) pass them instead of matching again.
 */
export async function loadConversation(sql: Sql, workspaceId: number, conversationId: number, segmentIds?: string[]): Promise<Conversation> {
  const row = await findConversationRow(sql, workspaceId, conversationId);
  if (!row) throw notFound('Conversation');
  return segmentIds ? toConversation(row, segmentIds) : (await serializeConversations(sql, workspaceId, [row]))[0]!;
}

export interface MessageRow {
  id: number;
  conversationId: number;
  direction: string;
  authorKind: string;
  agentId: number | null;
  agentName: string | null;
  body: string;
  externalId: string | null;
  deliveryStatus: string | null;
  createdAt: number;
}

export const MESSAGE_FROM = `SELECT m.id, m.conversationId, m.direction, m.authorKind, m.agentId, a.name AS agentName, m.body,
  m.externalId, m.deliveryStatus, m.createdAt FROM Message m LEFT JOIN Agent a ON a.id = m.agentId`;

export function toMessage(r: MessageRow): Message {
  return {
    id: String(r.id),
    conversationId: String(r.conversationId),
    direction: r.direction as Message['direction'],
    authorKind: r.authorKind as Message['authorKind'],
    agent: r.agentId === null ? null : { id: String(r.agentId), name: r.agentName ?? '' },
    body: r.body,
    externalId: r.externalId,
    deliveryStatus: r.deliveryStatus as Message['deliveryStatus'],
    createdAt: iso(r.createdAt),
  };
}

export async function loadMessage(sql: Sql, messageId: number): Promise<Message> {
  const row = await sql.get<MessageRow>(`${MESSAGE_FROM} WHERE m.id = ?`, [messageId]);
  if (!row) throw notFound('Message');
  return toMessage(row);
}

/** The inbox line of a message: one line, clipped like the seeded previews. */
export const previewOf = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 140);
