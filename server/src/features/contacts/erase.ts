import type { Db } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import { recordAudit, type Actor } from '../audit/service.ts';
import type { Gateway } from '../../realtime/gateway.ts';

/**
 * Data-protection erasure: the contact and everything about it go in one transaction. Foreign
 * keys cascade to tags, notes, field values, sequences, topics, conversations → messages →
 * deliveries and widget sessions; the search index follows through its triggers. Rows that hold
 * the contact without a foreign key (audit history, import undo records) are deleted
 * explicitly, and past broadcasts about it in the event log become `contact:deleted` (replay
 * keeps its sequence, the log keeps no personal data). What remains is one audit tombstone.
 */
export async function eraseContact(db: Db, gateway: Gateway, workspaceId: number, actor: Actor, contactId: number): Promise<void> {
  const outbox = gateway.outbox();
  await db.tx(async (tx) => {
    const exists = stmt(db.conn, 'SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?').get(contactId, workspaceId);
    if (!exists) throw notFound('Contact');
    stmt(db.conn, 'DELETE FROM AuditEvent WHERE contactId = ?').run(contactId);
    stmt(db.conn, 'DELETE FROM JobContactChange WHERE contactId = ?').run(contactId);
    stmt(db.conn, 'DELETE FROM Contact WHERE id = ?').run(contactId);
    stmt(db.conn, "UPDATE EventLog SET name = 'contact:deleted', payload = ? WHERE contactId = ?").run(JSON.stringify({ contactId: String(contactId) }), contactId);
    await recordAudit(tx, { workspaceId, actor, contactId, action: 'contact.erased', changes: null });
    outbox.add(workspaceId, 'contact:deleted', { contactId: String(contactId) });
  });
  gateway.publish(outbox);
}
