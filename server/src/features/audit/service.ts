import type { Tx } from '../../db/client.ts';

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

/** How a broadcast names who made a change ("Sam changed plan …"). */
export function changeBy(db: { conn: import('better-sqlite3').Database }, actor: Actor): { kind: string; id: string | null; name: string | null } {
  if (actor.kind === 'system') return { kind: 'system', id: null, name: null };
  const table = actor.kind === 'agent' ? 'Agent' : 'ApiKey';
  const name = db.conn.prepare(`SELECT name FROM ${table} WHERE id = ?`).pluck().get(actor.id) as string | undefined;
  return { kind: actor.kind, id: String(actor.id), name: name ?? null };
}
