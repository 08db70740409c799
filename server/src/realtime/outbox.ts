import type { BroadcastName, BroadcastPayloads, Envelope } from '@switchboard/shared';
import type Database from 'better-sqlite3';
import type { Sql } from '../db/sql.ts';
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

  /**
   * Call inside `db.tx()` with the transaction's `sql`. `contactId` marks the event as about that
   * contact (derived from the payload where it names one), so erasure can scrub it from the log.
   */
  async add<K extends BroadcastName>(sql: Sql, workspaceId: number, name: K, data: BroadcastPayloads[K], contactId = contactOf(data)): Promise<void> {
    const eventSeq = (await sql.value<number>('UPDATE Workspace SET eventSeq = eventSeq + 1 WHERE id = ? RETURNING eventSeq', [workspaceId]))!;
    const at = Date.now();
    await sql.run('INSERT INTO EventLog (workspaceId, seq, name, room, payload, contactId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      workspaceId,
      eventSeq,
      name,
      `workspace:${workspaceId}`,
      JSON.stringify(data),
      contactId ?? null,
      new Date(at),
    ]);
    this.push(name, workspaceId, eventSeq, at, data);
  }

  /**
   * `add` for a synchronous better-sqlite3 transaction: the import worker thread commits its
   * batch without awaiting, and an awaited write could land after its COMMIT.
   */
  addSqlite<K extends BroadcastName>(conn: Database.Database, workspaceId: number, name: K, data: BroadcastPayloads[K], contactId = contactOf(data)): void {
    const { eventSeq } = stmt(conn, 'UPDATE Workspace SET eventSeq = eventSeq + 1 WHERE id = ? RETURNING eventSeq').get(workspaceId) as { eventSeq: number };
    const at = Date.now();
    stmt(conn, 'INSERT INTO EventLog (workspaceId, seq, name, room, payload, contactId, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      workspaceId,
      eventSeq,
      name,
      `workspace:${workspaceId}`,
      JSON.stringify(data),
      contactId ?? null,
      at,
    );
    this.push(name, workspaceId, eventSeq, at, data);
  }

  private push(name: BroadcastName, workspaceId: number, eventSeq: number, at: number, data: unknown): void {
    this.events.push({ name, envelope: { eventId: eventSeq, workspaceId: String(workspaceId), at: new Date(at).toISOString(), data } });
  }
}

function contactOf(data: unknown): number | undefined {
  const d = data as { contactId?: string; contact?: { id?: string } };
  const id = d.contactId ?? d.contact?.id;
  return id === undefined ? undefined : Number(id);
}
