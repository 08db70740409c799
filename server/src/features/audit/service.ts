import type { Sql, Tx } from '../../db/client.ts';

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
 * The same entry as `recordAudit`, written with raw SQL on the transaction (pass the `sql` that
 * `db.tx()` gives): bulk jobs write thousands per batch, where Prisma's per-row create is the
 * bottleneck (STACK.md).
 */
export async function recordAuditSql(sql: Sql, entry: AuditEntry, now = Date.now()): Promise<void> {
  await sql.run('INSERT INTO AuditEvent (workspaceId, actorKind, actorId, contactId, action, changes, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    entry.workspaceId,
    entry.actor.kind,
    entry.actor.kind === 'system' ? null : entry.actor.id,
    entry.contactId ?? null,
    entry.action,
    entry.changes === undefined || entry.changes === null ? null : JSON.stringify(entry.changes),
    new Date(now),
  ]);
}

/** How a broadcast names who made a change ("Sam changed plan …"). */
export async function changeBy(sql: Sql, actor: Actor): Promise<{ kind: string; id: string | null; name: string | null }> {
  if (actor.kind === 'system') return { kind: 'system', id: null, name: null };
  const table = actor.kind === 'agent' ? 'Agent' : 'ApiKey';
  const name = await sql.value<string>(`SELECT name FROM ${table} WHERE id = ?`, [actor.id]);
  return { kind: actor.kind, id: String(actor.id), name: name ?? null };
}
