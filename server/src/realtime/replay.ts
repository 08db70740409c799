import type { BroadcastEvent } from '@switchboard/shared';
import type { Db } from '../db/client.ts';
import { stmt } from '../lib/sql.ts';
import type { Io } from './gateway.ts';

type AppSocket = Parameters<Parameters<Io['on']>[1]>[0];

/** Events per `events` packet of a replay. */
export const REPLAY_BATCH = 100;

/** How long the event log keeps events for clients catching up after a disconnect. */
export const RETENTION_MS = 24 * 3600 * 1000;

const current = (db: Db, workspaceId: number) =>
  (stmt(db.conn, 'SELECT eventSeq FROM Workspace WHERE id = ?').get(workspaceId) as { eventSeq: number } | undefined)?.eventSeq ?? 0;

/**
 * Sends a socket what it missed in one workspace since `since`, in order, then `sync:ready`.
 * The socket is already in the workspace room, so anything committed after this query arrives
 * live too; the client drops eventIds it has already applied.
 */
export function replay(db: Db, socket: AppSocket, workspaceId: number, since: number | undefined): number {
  const latest = current(db, workspaceId);
  if (since === undefined || since >= latest) {
    socket.emit('sync:ready', { workspaceId: String(workspaceId), eventId: latest });
    return 0;
  }
  const oldest = (stmt(db.conn, 'SELECT min(seq) AS seq FROM EventLog WHERE workspaceId = ?').get(workspaceId) as { seq: number | null }).seq;
  if (oldest === null || oldest > since + 1) {
    socket.emit('sync:resync', { workspaceId: String(workspaceId), eventId: latest, reason: 'missed events are older than the event log keeps' });
    return 0;
  }
  const rows = stmt(db.conn, 'SELECT seq, name, payload, createdAt FROM EventLog WHERE workspaceId = ? AND seq > ? ORDER BY seq').all(workspaceId, since) as {
    seq: number;
    name: string;
    payload: string;
    createdAt: number;
  }[];
  // The same `events` packets as live commits, a slice of the log each: few writes, bounded frames.
  for (let i = 0; i < rows.length; i += REPLAY_BATCH) {
    const batch = rows.slice(i, i + REPLAY_BATCH).map(
      (r) => [r.name, { eventId: r.seq, workspaceId: String(workspaceId), at: new Date(r.createdAt).toISOString(), data: JSON.parse(r.payload) }] as BroadcastEvent,
    );
    socket.emit('events', batch);
  }
  socket.emit('sync:ready', { workspaceId: String(workspaceId), eventId: rows.at(-1)?.seq ?? latest });
  return rows.length;
}

/** Drops events past retention; runs at start and then periodically. */
export async function pruneEventLog(db: Db, now = Date.now()): Promise<number> {
  return db.tx(async () => stmt(db.conn, 'DELETE FROM EventLog WHERE createdAt < ?').run(now - RETENTION_MS).changes);
}
