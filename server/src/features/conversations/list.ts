import type { ConversationList, MessagePage } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound, validation } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import { loadCatalogue } from '../catalogue/service.ts';
import { segmentFilter, toSql } from '../contacts/filter.ts';
import { CONVERSATION_FROM, MESSAGE_FROM, serializeConversations, toMessage, type ConversationRow, type MessageRow } from './serialize.ts';

export interface InboxParams {
  segmentId?: number;
  status: 'open' | 'pending' | 'resolved' | 'all';
  assignee: 'me' | 'unassigned' | 'all';
  cursor?: string;
  limit: number;
}

// Keyset on (lastMessageAt, id), newest first: a page never repeats or skips a row however
// many messages arrive while an agent scrolls (a conversation that moves up is pushed live).
const encodeCursor = (r: Pick<ConversationRow, 'lastMessageAt' | 'id'>) => Buffer.from(JSON.stringify([r.lastMessageAt, r.id])).toString('base64url');

function decodeCursor(text: string): [number, number] {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && v.every(Number.isSafeInteger)) return v as [number, number];
  } catch {
    // fall through
  }
  throw validation([{ path: 'cursor', message: 'is not a cursor of this list (start again without it)' }]);
}

/** The inbox: conversations newest activity first, filtered by status, assignee and segment. */
export function listConversations(db: Db, workspaceId: number, agentId: number, p: InboxParams): ConversationList {
  const where = ['v.workspaceId = ?'];
  const params: (string | number)[] = [workspaceId];
  if (p.status !== 'all') {
    where.push('v.status = ?');
    params.push(p.status);
  }
  if (p.assignee === 'me') {
    where.push('v.assigneeId = ?');
    params.push(agentId);
  } else if (p.assignee === 'unassigned') {
    where.push('v.assigneeId IS NULL');
  }
  if (p.segmentId !== undefined) {
    // The segment is a contact filter: the conversation matches when its contact does.
    const catalogue = loadCatalogue(db, workspaceId);
    const seg = toSql(segmentFilter(db, workspaceId, p.segmentId, catalogue), workspaceId, catalogue);
    where.push(`(${seg.sql})`);
    params.push(...seg.params);
  }
  if (p.cursor) {
    where.push('(v.lastMessageAt, v.id) < (?, ?)');
    params.push(...decodeCursor(p.cursor));
  }
  const sql = `${CONVERSATION_FROM} WHERE ${where.join(' AND ')} ORDER BY v.lastMessageAt DESC, v.id DESC LIMIT ?`;
  const rows = stmt(db.conn, sql).all(...params, p.limit + 1) as ConversationRow[];
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  return {
    items: serializeConversations(db, workspaceId, page),
    nextCursor: rows.length > p.limit && last ? encodeCursor(last) : null,
  };
}

/** A conversation's messages, oldest first, ending just before `before` (or at the newest). */
export function listMessages(db: Db, workspaceId: number, conversationId: number, p: { before?: number; limit: number }): MessagePage {
  const exists = stmt(db.conn, 'SELECT 1 FROM Conversation WHERE id = ? AND workspaceId = ?').get(conversationId, workspaceId);
  if (!exists) throw notFound('Conversation');
  let after = '';
  const params: number[] = [conversationId];
  if (p.before !== undefined) {
    const anchor = stmt(db.conn, 'SELECT createdAt, id FROM Message WHERE id = ? AND conversationId = ?').get(p.before, conversationId) as
      | { createdAt: number; id: number }
      | undefined;
    if (!anchor) throw validation([{ path: 'before', message: 'is not a message of this conversation' }]);
    after = ' AND (m.createdAt, m.id) < (?, ?)';
    params.push(anchor.createdAt, anchor.id);
  }
  // Newest first through the (conversationId, createdAt, id) index, then turned around.
  const rows = stmt(db.conn, `${MESSAGE_FROM} WHERE m.conversationId = ?${after} ORDER BY m.createdAt DESC, m.id DESC LIMIT ?`).all(
    ...params,
    p.limit + 1,
  ) as MessageRow[];
  return { items: rows.slice(0, p.limit).reverse().map(toMessage), hasMore: rows.length > p.limit };
}
