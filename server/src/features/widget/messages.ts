import type { Message } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';
import { MESSAGE_FROM, toMessage, type MessageRow } from '../conversations/serialize.ts';

export const VISITOR_HISTORY_LIMIT = 200;

/**
 * The latest messages of a visitor's own contact, oldest first. System messages (assignments,
 * status changes) are the console's business, not the visitor's.
 */
export function visitorMessages(db: Db, contactId: number, limit = VISITOR_HISTORY_LIMIT): Message[] {
  const rows = stmt(db.conn, `${MESSAGE_FROM} WHERE m.contactId = ? AND m.authorKind <> 'system' ORDER BY m.createdAt DESC, m.id DESC LIMIT ?`).all(
    contactId,
    limit,
  ) as MessageRow[];
  return rows.reverse().map(toMessage);
}
