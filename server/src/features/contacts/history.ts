import type { HistoryEntry } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';

interface AuditRow {
  id: number;
  action: string;
  actorKind: string;
  actorId: number | null;
  actorName: string | null;
  changes: string | null;
  createdAt: number;
}

const ACTOR_JOIN = `LEFT JOIN Agent a ON a.id = e.actorId AND e.actorKind = 'agent'`;

const actorOf = (r: Pick<AuditRow, 'actorKind' | 'actorId' | 'actorName'>) => ({
  kind: r.actorKind,
  id: r.actorId === null ? null : String(r.actorId),
  name: r.actorName,
});

/** Who made the latest change to `path` of the contact (for a 409's `changedBy`). */
export function lastChangeBy(db: Db, contactId: number, path: string) {
  const row = stmt(
    db.conn,
    `SELECT e.actorKind, e.actorId, a.name AS actorName FROM AuditEvent e ${ACTOR_JOIN}
     WHERE e.contactId = ? AND json_extract(e.changes, '$.path') = ? ORDER BY e.id DESC LIMIT 1`,
  ).get(contactId, path) as Pick<AuditRow, 'actorKind' | 'actorId' | 'actorName'> | undefined;
  return row ? actorOf(row) : null;
}

export function listHistory(db: Db, workspaceId: number, contactId: number, limit = 200): HistoryEntry[] {
  const exists = stmt(db.conn, 'SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?').get(contactId, workspaceId);
  if (!exists) throw notFound('Contact');
  const rows = stmt(
    db.conn,
    `SELECT e.id, e.action, e.actorKind, e.actorId, a.name AS actorName, e.changes, e.createdAt FROM AuditEvent e ${ACTOR_JOIN}
     WHERE e.contactId = ? AND e.workspaceId = ? ORDER BY e.createdAt DESC, e.id DESC LIMIT ?`,
  ).all(contactId, workspaceId, limit) as AuditRow[];
  return rows.map((r) => ({
    id: String(r.id),
    action: r.action,
    actor: actorOf(r),
    changes: r.changes === null ? null : JSON.parse(r.changes),
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}
