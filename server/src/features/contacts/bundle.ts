import type { Db } from '../../db/client.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import { loadContactDetail } from './detail.ts';
import { listHistory } from './history.ts';

interface MessageRow {
  id: number;
  conversationId: number;
  direction: string;
  authorKind: string;
  agentId: number | null;
  body: string;
  createdAt: number;
}

/** Everything Switchboard holds about one contact, as one JSON document (data-subject access). */
export async function contactBundle(db: Db, workspaceId: number, actor: Actor, contactId: number) {
  const contact = await loadContactDetail(db.sql, workspaceId, contactId);
  const conversations = await db.sql.all<{ id: number; channel: string; status: string; createdAt: number; lastMessageAt: number }>(
    'SELECT id, channel, status, createdAt, lastMessageAt FROM Conversation WHERE contactId = ? ORDER BY createdAt',
    [contactId],
  );
  const messages = await db.sql.all<MessageRow>(
    'SELECT id, conversationId, direction, authorKind, agentId, body, createdAt FROM Message WHERE contactId = ? ORDER BY createdAt, id',
    [contactId],
  );
  const iso = (ms: number) => new Date(ms).toISOString();
  const bundle = {
    exportedAt: new Date().toISOString(),
    contact: { ...contact, segmentIds: undefined },
    conversations: conversations.map((c) => ({
      id: String(c.id),
      channel: c.channel,
      status: c.status,
      createdAt: iso(c.createdAt),
      lastMessageAt: iso(c.lastMessageAt),
      messages: messages
        .filter((m) => m.conversationId === c.id)
        .map((m) => ({ id: String(m.id), direction: m.direction, authorKind: m.authorKind, body: m.body, createdAt: iso(m.createdAt) })),
    })),
    history: await listHistory(db.sql, workspaceId, contactId, 10_000),
  };
  await db.tx((tx) => recordAudit(tx, { workspaceId, actor, contactId, action: 'contact.exported', changes: null }));
  return bundle;
}
