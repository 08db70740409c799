import type { BroadcastEvent, ClientToServerEvents, ServerToClientEvents, SocketData } from '@switchboard/shared';
import type { Server } from 'socket.io';
import type { Db } from '../db/client.ts';
import { Outbox } from './outbox.ts';

export type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export const rooms = {
  workspace: (id: number | string) => `workspace:${id}`,
  agent: (id: number | string) => `agent:${id}`,
  session: (id: number | string) => `session:${id}`,
  contact: (id: number | string) => `contact:${id}`,
  conversation: (id: number | string) => `conversation:${id}`,
};

/**
 * The one way services reach connected clients. Services collect broadcasts in an Outbox inside
 * their transaction and hand it to `publish` after the commit; routes never touch Socket.IO.
 * With the Redis adapter, `io.to(room).emit` reaches the sockets of every node.
 */
export class Gateway {
  private io: Io | undefined;

  constructor(private readonly db: Db) {}

  attach(io: Io): void {
    this.io = io;
  }

  get server(): Io | undefined {
    return this.io;
  }

  outbox(): Outbox {
    return new Outbox();
  }

  /** Published events not emitted yet, per workspace, in commit order (see `publish`). */
  private pending = new Map<string, BroadcastEvent[]>();
  private flushTimer: NodeJS.Immediate | undefined;

  /**
   * A commit's events go to each workspace room as one `events` packet, in eventId order: one
   * socket write per agent per commit instead of one per event, since at a thousand sockets the
   * writes, not the events, are the cost (bench/README.md "Realtime"). The packet leaves at the end
   * of the current event-loop turn, so commits that finish in the same turn (a server catching up
   * on a burst) share one packet and one write per socket: the busier it is, the cheaper each
   * commit gets, at no added delay when it is idle.
   */
  publish(outbox: Outbox): void {
    if (!this.io || !outbox.events.length) return;
    for (const { name, envelope } of outbox.events) {
      let batch = this.pending.get(envelope.workspaceId);
      if (!batch) this.pending.set(envelope.workspaceId, (batch = []));
      batch.push([name, envelope] as BroadcastEvent);
    }
    this.flushTimer ??= setImmediate(() => this.flush());
  }

  /** Emits what `publish` collected; every other emit flushes first, so nothing overtakes a commit. */
  flush(): void {
    if (this.flushTimer) clearImmediate(this.flushTimer);
    this.flushTimer = undefined;
    if (!this.pending.size || !this.io) return;
    const batches = this.pending;
    this.pending = new Map();
    for (const [workspaceId, batch] of batches) this.rawEmit(rooms.workspace(workspaceId), 'events', batch);
  }

  /** Ephemeral signals (typing, presence): not logged, not replayed. */
  signal<K extends 'presence:updated' | 'typing:updated'>(room: string, name: K, payload: Parameters<ServerToClientEvents[K]>[0]): void {
    this.flush();
    this.rawEmit(room, name, payload);
  }

  // Payload types are checked at the typed entry points (Outbox.add, signal); one untyped emit here.
  private rawEmit(room: string, name: string, payload: unknown): void {
    if (!this.io) return;
    (this.io.to(room) as unknown as { emit(n: string, p: unknown): boolean }).emit(name, payload);
  }

  /**
   * A web chat visitor's socket lives in the `/widget` namespace, in the room of its own
   * conversation only; agent replies and typing reach it here (not through the workspace room).
   */
  toVisitor(conversationId: number, name: 'message:created' | 'typing:updated', payload: unknown): void {
    if (!this.io) return;
    this.flush();
    (this.io.of('/widget').to(rooms.conversation(conversationId)) as unknown as { emit(n: string, p: unknown): boolean }).emit(name, payload);
  }

  /** Logs out every socket of a session (logout, revoked session). */
  endSession(sessionId: number, reason: 'logout' | 'revoked'): void {
    if (!this.io) return;
    this.flush();
    this.io.to(rooms.session(sessionId)).emit('session:ended', { reason });
    this.io.in(rooms.session(sessionId)).disconnectSockets(true);
  }

  /** A member left a workspace: their sockets stop receiving it at once. */
  leaveWorkspace(agentId: number, workspaceId: number): void {
    this.flush();
    this.io?.in(rooms.agent(agentId)).socketsLeave(rooms.workspace(workspaceId));
    // Best effort across nodes: a failed lookup (Redis down) must not crash the process.
    this.leaveViewedRooms(agentId, workspaceId).catch(() => undefined);
  }

  /**
   * The contact and conversation rooms a member joined by command (presence, typing) belong to
   * the workspace too: without leaving them, a removed member would keep hearing who views and
   * who types there. Checked against the database, since room names carry no workspace.
   */
  private async leaveViewedRooms(agentId: number, workspaceId: number): Promise<void> {
    if (!this.io) return;
    const owned = {
      contact: 'SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?',
      conversation: 'SELECT 1 FROM Conversation WHERE id = ? AND workspaceId = ?',
    };
    for (const socket of await this.io.in(rooms.agent(agentId)).fetchSockets()) {
      // A copy: a local socket's set is live and changes while the checks are awaited.
      for (const room of [...socket.rooms]) {
        const m = /^(contact|conversation):(\d+)$/.exec(room);
        if (m && (await this.db.sql.get(owned[m[1] as 'contact' | 'conversation'], [Number(m[2]), workspaceId]))) socket.leave(room);
      }
    }
  }
}
