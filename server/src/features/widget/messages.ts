import type { Message } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { MESSAGE_FROM, toMessage, type MessageRow } from '../conversations/serialize.ts';

export const VISITOR_HISTORY_LIMIT = 200;

/**
 * The latest messages of a visitor's own contact, oldest first. System messages (assignments,
 * status changes) are the console's business, not the visitor's.
 */
export async function visitorMessages(sql: Sql, contactId: number, limit = VISITOR_HISTORY_LIMIT): Promise<Message[]> {
  const rows = await sql.all<MessageRow>(`${MESSAGE_FROM} WHERE m.contactId = ? AND m.authorKind <> 'system' ORDER BY m.createdAt DESC, m.id DESC LIMIT ?`, [
    contactId,
    limit,
  ]);
  return rows.reverse().map(toMessage);
}
