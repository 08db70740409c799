import type { BroadcastName, BroadcastPayloads, Envelope } from '@switchboard/shared';
import type { Db } from '../db/client.ts';
import { stmt } from '../lib/sql.ts';

export interface PendingEvent {
  name: BroadcastName;
  envelope: Envelope<unknown>;
}

/**
 * Collects a write's broadcasts inside its transaction: each gets the workspace's next eventId
 * and an EventLog row in the same commit (so replay can never miss an event that happened, nor
 * serve one that was rolled back). The gateway publishes them after the commit.
 */
export class Outbox {
  readonly events: PendingEvent[] = [];

  // Only the connection: an import's worker thread writes its events on its own connection.
  constructor(private readonly db: Pick<Db, 'conn'>) {}

  /**
   * Call inside `db.tx()`. `contactId` marks the event as about that contact (derived from
   * the payload where it names one), so erasure can scrub it from the log.
   */
  add<K extends BroadcastName>(workspaceId: number, name: K, data: BroadcastPayloads[K], contactId = contactOf(data)): void {
    const { eventSeq } = stmt(this.db.conn, 'UPDATE Workspace SET eventSeq = eventSeq + 1 WHERE id = ? RETURNING eventSeq').get(workspaceId) as {
      eventSeq: number;
    };
    const at = Date.now();
    stmt(this.db.conn, 'INSERT INTO EventLog (workspaceId, seq, name, room, payload, contactId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      workspaceId,
      eventSeq,
      name,
      `workspace:${workspaceId}`,
      JSON.stringify(data),
      contactId ?? null,
      at,
    );
    this.events.push({ name, envelope: { eventId: eventSeq, workspaceId: String(workspaceId), at: new Date(at).toISOString(), data } });
  }
}

function contactOf(data: unknown): number | undefined {
  const d = data as { contactId?: string; contact?: { id?: string } };
  const id = d.contactId ?? d.contact?.id;
  return id === undefined ? undefined : Number(id);
}
