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
