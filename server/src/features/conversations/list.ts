import type { ConversationList, MessagePage } from '@switchboard/shared';
import type { Sql, SqlValue } from '../../db/sql.ts';
import { notFound, validation } from '../../lib/errors.ts';
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
export async function listConversations(sql: Sql, workspaceId: number, agentId: number, p: InboxParams): Promise<ConversationList> {
  const where = ['v.workspaceId = ?'];
  const params: SqlValue[] = [workspaceId];
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
    const catalogue = await loadCatalogue(sql, workspaceId);
    const seg = toSql(await segmentFilter(sql, workspaceId, p.segmentId, catalogue), workspaceId, catalogue, Date.now(), 'list', sql.dialect);
    where.push(`(${seg.sql})`);
    params.push(...seg.params);
  }
  if (p.cursor) {
    where.push('(v.lastMessageAt, v.id) < (?, ?)');
    const [lastMessageAt, id] = decodeCursor(p.cursor);
    params.push(new Date(lastMessageAt), id);
  }
  const text = `${CONVERSATION_FROM} WHERE ${where.join(' AND ')} ORDER BY v.lastMessageAt DESC, v.id DESC LIMIT ?`;
  const rows = await sql.all<ConversationRow>(text, [...params, p.limit + 1]);
  const page = rows.slice(0, p.limit);
  const last = page.at(-1);
  return {
    items: await serializeConversations(sql, workspaceId, page),
    nextCursor: rows.length > p.limit && last ? encodeCursor(last) : null,
  };
}

/** A conversation's messages, oldest first, ending just before `before` (or at the newest). */
export async function listMessages(sql: Sql, workspaceId: number, conversationId: number, p: { before?: number; limit: number }): Promise<MessagePage> {
  const exists = await sql.get('SELECT 1 FROM Conversation WHERE id = ? AND workspaceId = ?', [conversationId, workspaceId]);
  if (!exists) throw notFound('Conversation');
  let after = '';
  const params: SqlValue[] = [conversationId];
  if (p.before !== undefined) {
    const anchor = await sql.get<{ createdAt: number; id: number }>('SELECT createdAt, id FROM Message WHERE id = ? AND conversationId = ?', [p.before, conversationId]);
    if (!anchor) throw validation([{ path: 'before', message: 'is not a message of this conversation' }]);
    after = ' AND (m.createdAt, m.id) < (?, ?)';
    params.push(new Date(anchor.createdAt), anchor.id);
  }
  // Newest first through the (conversationId, createdAt, id) index, then turned around.
  const rows = await sql.all<MessageRow>(`${MESSAGE_FROM} WHERE m.conversationId = ?${after} ORDER BY m.createdAt DESC, m.id DESC LIMIT ?`, [
    ...params,
    p.limit + 1,
  ]);
  return { items: rows.slice(0, p.limit).reverse().map(toMessage), hasMore: rows.length > p.limit };
}
