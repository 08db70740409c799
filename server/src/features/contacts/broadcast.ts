import type { ChangeBy, ContactChange, ContactDetail } from '@switchboard/shared';
import type { Sql } from '../../db/sql.ts';
import type { Outbox } from '../../realtime/outbox.ts';

/** The wire contact of a broadcast: the list row plus its segments (no notes, no catalogues). */
export function broadcastContact(d: ContactDetail) {
  const { notes: _notes, sequences: _sequences, otnTopics: _topics, ...contact } = d;
  return contact;
}

/**
 * Inside the write transaction: `contact:updated` with what changed and who changed it, and a
 * `segment:membership` for every segment the contact entered or left, so inboxes filtered by
 * that segment add or drop its conversations at once.
 */
export async function publishContactChange(
  sql: Sql,
  outbox: Outbox,
  workspaceId: number,
  before: ContactDetail | null,
  after: ContactDetail,
  changes: ContactChange[],
  by: ChangeBy | null,
): Promise<void> {
  await outbox.add(sql, workspaceId, 'contact:updated', { contact: broadcastContact(after), changes, by });
  const was = new Set(before?.segmentIds ?? []);
  const now = new Set(after.segmentIds);
  for (const segmentId of now) if (!was.has(segmentId)) await outbox.add(sql, workspaceId, 'segment:membership', { segmentId, contactId: after.id, member: true });
  for (const segmentId of was) if (!now.has(segmentId)) await outbox.add(sql, workspaceId, 'segment:membership', { segmentId, contactId: after.id, member: false });
}
