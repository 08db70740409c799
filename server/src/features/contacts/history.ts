import type { HistoryEntry } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import { notFound } from '../../lib/errors.ts';

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

/** Audit entries read per round while looking for a path's latest change. */
const PATH_PAGE = 100;

/**
 * Who made the latest change to `path` of the contact (for a 409's `changedBy`). The path is
 * inside the JSON of `changes`, which the two databases read with different functions, so the
 * contact's entries are read newest first and matched here; a conflict is rare and the change
 * it names is usually among the newest.
 */
export async function lastChangeBy(sql: Sql, contactId: number, path: string) {
  let before: number | null = null;
  for (;;) {
    const rows: Pick<AuditRow, 'id' | 'actorKind' | 'actorId' | 'actorName' | 'changes'>[] = await sql.all(
      `SELECT e.id, e.actorKind, e.actorId, a.name AS actorName, e.changes FROM AuditEvent e ${ACTOR_JOIN}
       WHERE e.contactId = ?${before === null ? '' : ' AND e.id < ?'} ORDER BY e.id DESC LIMIT ${PATH_PAGE}`,
      before === null ? [contactId] : [contactId, before],
    );
    const row = rows.find((r) => r.changes !== null && pathOf(r.changes) === path);
    if (row) return actorOf(row);
    if (rows.length < PATH_PAGE) return null;
    before = rows.at(-1)!.id;
  }
}

/** `$.path` of an entry's changes, as json_extract read it (anything but an object has none). */
function pathOf(changes: string): unknown {
  const parsed: unknown = JSON.parse(changes);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { path?: unknown }).path : undefined;
}

export async function listHistory(sql: Sql, workspaceId: number, contactId: number, limit = 200): Promise<HistoryEntry[]> {
  const exists = await sql.get('SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?', [contactId, workspaceId]);
  if (!exists) throw notFound('Contact');
  const rows = await sql.all<AuditRow>(
    `SELECT e.id, e.action, e.actorKind, e.actorId, a.name AS actorName, e.changes, e.createdAt FROM AuditEvent e ${ACTOR_JOIN}
     WHERE e.contactId = ? AND e.workspaceId = ? ORDER BY e.createdAt DESC, e.id DESC LIMIT ?`,
    [contactId, workspaceId, limit],
  );
  return rows.map((r) => ({
    id: String(r.id),
    action: r.action,
    actor: actorOf(r),
    changes: r.changes === null ? null : JSON.parse(r.changes),
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}
