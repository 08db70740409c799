import type { FastifyInstance } from 'fastify';
import { Server } from 'socket.io';
import { PresenceView, roleAtLeast, SyncHello, type Role } from '@switchboard/shared';
import type { Db } from '../db/client.ts';
import type { Sql } from '../db/sql.ts';
import { notFound } from '../lib/errors.ts';
import { findSession, SESSION_COOKIE } from '../features/auth/sessions.ts';
import { bindCommands, type AppSocket, type CommandTable } from './commands.ts';
import { rooms, type Gateway, type Io } from './gateway.ts';
import type { PresenceStore } from './presence.ts';
import { replay } from './replay.ts';

export interface RealtimeOptions {
  db: Db;
  gateway: Gateway;
  presence: PresenceStore;
  /** Commands contributed by features (conversations, messages …). */
  commands: CommandTable[];
}

/** The caller's role in a workspace now (memberships can change after the socket connected). */
export async function memberRole(sql: Sql, socket: AppSocket, workspaceId: number, min: Role = 'agent'): Promise<Role> {
  const row = await sql.get<{ role: Role }>('SELECT role FROM Membership WHERE workspaceId = ? AND agentId = ?', [workspaceId, socket.data.agentId]);
  if (!row || !roleAtLeast(row.role, min)) throw notFound('Workspace');
  return row.role;
}

/**
 * The workspaces a socket joined at connect that its agent still belongs to: a member removed
 * since has left the room (Gateway.leaveWorkspace) and must not get the workspace back by replay.
 */
async function stillMemberOf(sql: Sql, socket: AppSocket): Promise<number[]> {
  const now = new Set(await sql.column<number>('SELECT workspaceId FROM Membership WHERE agentId = ?', [socket.data.agentId]));
  return Object.keys(socket.data.workspaces).map(Number).filter((w) => now.has(w));
}

export function createRealtime(app: FastifyInstance, opts: RealtimeOptions): Io {
  const { db, gateway, presence } = opts;
  const io: Io = new Server(app.server, {
    path: '/socket.io',
    serveClient: false,
    // Same origin only: the console is served by this process.
    cors: undefined,
    connectionStateRecovery: undefined,
  });

  // The session cookie travels with the handshake; no token ever goes in the URL.
  io.use(async (socket, next) => {
    try {
      const cookies = app.parseCookie(socket.request.headers.cookie ?? '');
      const raw = cookies[SESSION_COOKIE];
      const unsigned = raw ? app.unsignCookie(raw) : undefined;
      const session = unsigned?.valid && unsigned.value ? await findSession(db, unsigned.value) : null;
      if (!session) return next(new Error('unauthorized'));
      const memberships = await db.sql.all<{ workspaceId: number; role: string }>('SELECT workspaceId, role FROM Membership WHERE agentId = ?', [session.agent.id]);
      socket.data = {
        agentId: session.agent.id,
        agentName: session.agent.name,
        sessionId: session.sessionId,
        workspaces: Object.fromEntries(memberships.map((m) => [m.workspaceId, m.role])),
      };
      next();
    } catch (err) {
      app.log.error({ err }, 'socket handshake failed');
      next(new Error('internal'));
    }
  });

  const core: CommandTable = {
    'sync:hello': {
      schema: SyncHello,
      handle: async (socket, { since }) => {
        let replayed = 0;
        for (const workspaceId of await stillMemberOf(db.sql, socket)) {
          const from = since[String(workspaceId)];
          replayed += await replay(db.sql, socket, workspaceId, from);
        }
        return { replayed };
      },
    },
    'presence:view': {
      schema: PresenceView,
      handle: async (socket, { workspaceId, contactId }) => {
        const ws = Number(workspaceId);
        await memberRole(db.sql, socket, ws);
        const target = contactId === null ? null : Number(contactId);
        if (target !== null && !(await db.sql.get('SELECT 1 FROM Contact WHERE id = ? AND workspaceId = ?', [target, ws]))) throw notFound('Contact');
        for (const room of socket.rooms) if (room.startsWith('contact:')) await socket.leave(room);
        if (target !== null) await socket.join(rooms.contact(target));
        const changed = await presence.view(socket.id, { workspaceId: ws, agentId: String(socket.data.agentId), name: socket.data.agentName }, target);
        for (const c of changed) gateway.signal(rooms.contact(c), 'presence:updated', { workspaceId, contactId: String(c), viewers: await presence.viewers(c) });
        return { viewers: target === null ? [] : await presence.viewers(target) };
      },
    },
  };

  io.on('connection', (socket) => {
    const { agentId, sessionId, workspaces } = socket.data;
    // Rooms come from the agent's memberships, never from what the client asks for.
    void socket.join([rooms.agent(agentId), rooms.session(sessionId), ...Object.keys(workspaces).map((w) => rooms.workspace(w))]);
    bindCommands(socket, Object.assign({}, core, ...opts.commands), (err) => app.log.error({ err }, 'socket command failed'));
    socket.on('disconnect', async () => {
      const changed = await presence.leave(socket.id);
      for (const c of changed) {
        const workspaceId = await db.sql.value<number>('SELECT workspaceId FROM Contact WHERE id = ?', [c]);
        if (workspaceId !== undefined) gateway.signal(rooms.contact(c), 'presence:updated', { workspaceId: String(workspaceId), contactId: String(c), viewers: await presence.viewers(c) });
      }
    });
  });

  gateway.attach(io);
  return io;
}
