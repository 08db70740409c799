import { AssignConversation, ConversationRef, SendMessage, SetConversationStatus, SetTyping } from '@switchboard/shared';
import { notFound } from '../../lib/errors.ts';
import type { AppSocket, CommandTable } from '../../realtime/commands.ts';
import { rooms } from '../../realtime/gateway.ts';
import { memberRole } from '../../realtime/server.ts';
import { sendAgentMessage } from './send.ts';
import { assignConversation, markConversationRead, setConversationStatus, type ConversationDeps } from './service.ts';

/**
 * The caller must be a member of the workspace *now* (memberships change after connect) and the
 * conversation must belong to it; either failing looks like a missing conversation.
 */
async function guard(deps: ConversationDeps, socket: AppSocket, workspaceId: string, conversationId: string) {
  const ws = Number(workspaceId);
  const id = Number(conversationId);
  await memberRole(deps.db.sql, socket, ws);
  const row = await deps.db.sql.get<{ channel: string }>('SELECT channel FROM Conversation WHERE id = ? AND workspaceId = ?', [id, ws]);
  if (!row) throw notFound('Conversation');
  return { ws, id, channel: row.channel };
}

/** Live-chat commands: open/close a conversation view, reply, typing, assign, status, read. */
export function conversationCommands(deps: ConversationDeps): CommandTable {
  return {
    'conversation:open': {
      schema: ConversationRef,
      handle: async (socket, { workspaceId, conversationId }) => {
        const { id } = await guard(deps, socket, workspaceId, conversationId);
        // The room carries what only viewers need (typing); joined after the check, never before.
        await socket.join(rooms.conversation(id));
        return { conversationId: String(id) };
      },
    },
    'conversation:close': {
      schema: ConversationRef,
      handle: async (socket, { conversationId }) => {
        await socket.leave(rooms.conversation(Number(conversationId)));
        return null;
      },
    },
    'message:send': {
      schema: SendMessage,
      handle: async (socket, { workspaceId, conversationId, body, idempotencyKey }) => {
        const { ws, id } = await guard(deps, socket, workspaceId, conversationId);
        return sendAgentMessage(deps, ws, socket.data.agentId, { conversationId: id, body, idempotencyKey });
      },
    },
    'typing:set': {
      schema: SetTyping,
      handle: async (socket, { workspaceId, conversationId, typing }) => {
        const { id, channel } = await guard(deps, socket, workspaceId, conversationId);
        const who = { kind: 'agent', id: String(socket.data.agentId), name: socket.data.agentName };
        const event = { workspaceId: String(workspaceId), conversationId: String(id), who, typing };
        // Ephemeral: not logged, not replayed; a missed "stopped typing" is harmless.
        deps.gateway.signal(rooms.conversation(id), 'typing:updated', event);
        // The visitor learns who is typing by name, not the agent's internal id.
        if (channel === 'webchat') deps.gateway.toVisitor(id, 'typing:updated', { ...event, who: { ...who, id: null } });
        return null;
      },
    },
    'conversation:assign': {
      schema: AssignConversation,
      handle: async (socket, { workspaceId, conversationId, agentId }) => {
        const { ws, id } = await guard(deps, socket, workspaceId, conversationId);
        return assignConversation(deps, ws, socket.data.agentId, id, agentId === null ? null : Number(agentId));
      },
    },
    'conversation:status': {
      schema: SetConversationStatus,
      handle: async (socket, { workspaceId, conversationId, status }) => {
        const { ws, id } = await guard(deps, socket, workspaceId, conversationId);
        return setConversationStatus(deps, ws, socket.data.agentId, id, status);
      },
    },
    'conversation:read': {
      schema: ConversationRef,
      handle: async (socket, { workspaceId, conversationId }) => {
        const { ws, id } = await guard(deps, socket, workspaceId, conversationId);
        return markConversationRead(deps, ws, socket.data.agentId, id);
      },
    },
  };
}
