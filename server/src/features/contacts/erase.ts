import type { Db, Tx } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import { recordAuditSql, type Actor } from '../audit/service.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import type { Outbox } from '../../realtime/outbox.ts';
import { erasedIdentity, scrubJobFiles, type ErasedIdentity } from './erase-files.ts';

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
  const erased: ErasedIdentity[] = [];
  await db.tx(async (tx) => {
    if (!(await eraseInTx(db, tx, workspaceId, actor, contactId, outbox, null, erased))) throw notFound('Contact');
  });
  gateway.publish(outbox);
  scrubJobFiles(db, workspaceId, erased);
}

/**
 * The erasure itself, inside the caller's transaction (bulk delete erases a batch per
 * transaction). Returns false when the contact is not in the workspace. Without an outbox no
 * `contact:deleted` is added: the caller announces the batch in one summary instead.
 */
export async function eraseInTx(
  db: Db,
  _tx: Tx,
  workspaceId: number,
  actor: Actor,
  contactId: number,
  outbox: Outbox | null,
  audit: object | null = null,
  /** Collects who was erased, for `scrubJobFiles` once the transaction has committed. */
  erased?: ErasedIdentity[],
): Promise<boolean> {
  const exists = stmt(db.conn, 'SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?').get(contactId, workspaceId);
  if (!exists) return false;
  const identity = erased && erasedIdentity(db, contactId);
  if (identity) erased.push(identity);
  stmt(db.conn, 'DELETE FROM AuditEvent WHERE contactId = ?').run(contactId);
  stmt(db.conn, 'DELETE FROM JobContactChange WHERE contactId = ?').run(contactId);
  stmt(db.conn, 'DELETE FROM Contact WHERE id = ?').run(contactId);
  stmt(db.conn, "UPDATE EventLog SET name = 'contact:deleted', payload = ? WHERE contactId = ?").run(JSON.stringify({ contactId: String(contactId) }), contactId);
  // Prepared SQL rather than the ORM: bulk delete and import undo erase thousands per job.
  recordAuditSql(db, { workspaceId, actor, contactId, action: 'contact.erased', changes: audit });
  outbox?.add(workspaceId, 'contact:deleted', { contactId: String(contactId) });
  return true;
}
