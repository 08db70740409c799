import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import { notFound } from '../../lib/errors.ts';
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
  await db.tx(async (_tx, sql) => {
    if (!(await eraseInTx(sql, workspaceId, actor, contactId, outbox, null, erased))) throw notFound('Contact');
  });
  gateway.publish(outbox);
  await scrubJobFiles(db.sql, workspaceId, erased);
}

/**
 * The erasure itself, inside the caller's transaction (bulk delete erases a batch per
 * transaction): pass the `sql` that `db.tx()` gives. Returns false when the contact is not in
 * the workspace. Without an outbox no `contact:deleted` is added: the caller announces the batch
 * in one summary instead.
 */
export async function eraseInTx(
  sql: Sql,
  workspaceId: number,
  actor: Actor,
  contactId: number,
  outbox: Outbox | null,
  audit: object | null = null,
  /** Collects who was erased, for `scrubJobFiles` once the transaction has committed. */
  erased?: ErasedIdentity[],
): Promise<boolean> {
  const exists = await sql.get('SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?', [contactId, workspaceId]);
  if (!exists) return false;
  const identity = erased && (await erasedIdentity(sql, contactId));
  if (identity) erased.push(identity);
  await sql.run('DELETE FROM AuditEvent WHERE contactId = ?', [contactId]);
  await sql.run('DELETE FROM JobContactChange WHERE contactId = ?', [contactId]);
  await sql.run('DELETE FROM Contact WHERE id = ?', [contactId]);
  await sql.run("UPDATE EventLog SET name = 'contact:deleted', payload = ? WHERE contactId = ?", [JSON.stringify({ contactId: String(contactId) }), contactId]);
  // Raw SQL rather than the ORM: bulk delete and import undo erase thousands per job.
  await recordAuditSql(sql, { workspaceId, actor, contactId, action: 'contact.erased', changes: audit });
  await outbox?.add(sql, workspaceId, 'contact:deleted', { contactId: String(contactId) });
  return true;
}
