import type { Db, Tx } from '../../db/client.ts';
import { stmt } from '../../lib/sql.ts';

export type Actor =
  | { kind: 'agent'; id: number }
  | { kind: 'api'; id: number }
  | { kind: 'system' };

export interface AuditEntry {
  workspaceId: number;
  actor: Actor;
  action: string;
  contactId?: number | null;
  changes?: unknown;
}

/** Appends an audit entry inside the caller's transaction, so the change and its record commit together. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({
    data: {
      workspaceId: entry.workspaceId,
      actorKind: entry.actor.kind,
      actorId: entry.actor.kind === 'system' ? null : entry.actor.id,
      contactId: entry.contactId ?? null,
      action: entry.action,
      changes: entry.changes === undefined ? undefined : (entry.changes as object),
    },
  });
}

/**
 * The same entry as `recordAudit`, written with a prepared statement on the transaction's
 * connection: bulk jobs write thousands per batch, where Prisma's per-row create is the
 * bottleneck (STACK.md). Call inside `db.tx()`.
 */
export function recordAuditSql(db: Db, entry: AuditEntry, now = Date.now()): void {
  stmt(db.conn, 'INSERT INTO AuditEvent (workspaceId, actorKind, actorId, contactId, action, changes, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    entry.workspaceId,
    entry.actor.kind,
    entry.actor.kind === 'system' ? null : entry.actor.id,
    entry.contactId ?? null,
    entry.action,
    entry.changes === undefined || entry.changes === null ? null : JSON.stringify(entry.changes),
    now,
  );
}

/** How a broadcast names who made a change ("Sam changed plan …"). */
export function changeBy(db: Pick<Db, 'conn'>, actor: Actor): { kind: string; id: string | null; name: string | null } {
  if (actor.kind === 'system') return { kind: 'system', id: null, name: null };
  const table = actor.kind === 'agent' ? 'Agent' : 'ApiKey';
  const row = stmt(db.conn, `SELECT name FROM ${table} WHERE id = ?`).get(actor.id) as { name: string } | undefined;
  return { kind: actor.kind, id: String(actor.id), name: row?.name ?? null };
}
