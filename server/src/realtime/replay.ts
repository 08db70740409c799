import type { BroadcastEvent } from '@switchboard/shared';
import type { Db } from '../db/client.ts';
import type { Sql } from '../db/sql.ts';
import type { Io } from './gateway.ts';

type AppSocket = Parameters<Parameters<Io['on']>[1]>[0];

/** Events per `events` packet of a replay. */
export const REPLAY_BATCH = 100;

/** How long the event log keeps events for clients catching up after a disconnect. */
export const RETENTION_MS = 24 * 3600 * 1000;

const current = async (sql: Sql, workspaceId: number) => (await sql.value<number>('SELECT eventSeq FROM Workspace WHERE id = ?', [workspaceId])) ?? 0;

/**
 * Sends a socket what it missed in one workspace since `since`, in order, then `sync:ready`.
 * The socket is already in the workspace room, so anything committed after this query arrives
 * live too; the client drops eventIds it has already applied.
 */
export async function replay(sql: Sql, socket: AppSocket, workspaceId: number, since: number | undefined): Promise<number> {
  const latest = await current(sql, workspaceId);
  if (since === undefined || since >= latest) {
    socket.emit('sync:ready', { workspaceId: String(workspaceId), eventId: latest });
    return 0;
  }
  const oldest = (await sql.value<number | null>('SELECT min(seq) AS seq FROM EventLog WHERE workspaceId = ?', [workspaceId])) ?? null;
  if (oldest === null || oldest > since + 1) {
    socket.emit('sync:resync', { workspaceId: String(workspaceId), eventId: latest, reason: 'missed events are older than the event log keeps' });
    return 0;
  }
  const rows = await sql.all<{ seq: number; name: string; payload: string; createdAt: number }>(
    'SELECT seq, name, payload, createdAt FROM EventLog WHERE workspaceId = ? AND seq > ? ORDER BY seq',
    [workspaceId, since],
  );
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
  return db.tx((_tx, sql) => sql.run('DELETE FROM EventLog WHERE createdAt < ?', [new Date(now - RETENTION_MS)]));
}
