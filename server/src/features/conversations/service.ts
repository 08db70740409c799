import type { Conversation, ConversationStatus } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import { notFound, validation } from '../../lib/errors.ts';
import { stmt } from '../../lib/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { recordAudit } from '../audit/service.ts';
import { loadConversation } from './serialize.ts';

export interface ConversationDeps {
  db: Db;
  gateway: Gateway;
}

interface State {
  id: number;
  contactId: number;
  status: string;
  assigneeId: number | null;
  unreadCount: number;
}

/** One change of a conversation: the column update, and how the contact's history tells it. */
interface Change {
  action: string;
  path: string;
  from: unknown;
  to: unknown;
  set: string;
  params: (string | number | null)[];
  extra?: Record<string, unknown>;
}

/**
 * Reads the conversation, lets `plan` decide the change (null = already so: nothing written,
 * nothing pushed), then writes it with its audit entry and `conversation:upserted` in one
 * transaction. Reading inside the transaction makes concurrent changes apply one after the other.
 */
async function change(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number, plan: (s: State) => Change | null): Promise<Conversation> {
  const { db, gateway } = deps;
  const outbox = gateway.outbox();
  const conversation = await db.tx(async (tx) => {
    const state = stmt(db.conn, 'SELECT id, contactId, status, assigneeId, unreadCount FROM Conversation WHERE id = ? AND workspaceId = ?').get(
      conversationId,
      workspaceId,
    ) as State | undefined;
    if (!state) throw notFound('Conversation');
    const c = plan(state);
    if (!c) return loadConversation(db, workspaceId, conversationId);
    stmt(db.conn, `UPDATE Conversation SET ${c.set}, updatedAt = ? WHERE id = ?`).run(...c.params, Date.now(), conversationId);
    await recordAudit(tx, {
      workspaceId,
      actor: { kind: 'agent', id: agentId },
      contactId: state.contactId,
      action: c.action,
      changes: { conversationId: String(conversationId), path: c.path, from: c.from, to: c.to, ...c.extra },
    });
    const updated = loadConversation(db, workspaceId, conversationId);
    outbox.add(workspaceId, 'conversation:upserted', updated);
    return updated;
  });
  gateway.publish(outbox);
  return conversation;
}

const agentName = (db: Db, id: number | null) =>
  id === null ? null : ((stmt(db.conn, 'SELECT name FROM Agent WHERE id = ?').pluck().get(id) as string | undefined) ?? null);

/** Assigns (or, with null, unassigns) a conversation; the assignee must be a member of the workspace. */
export function assignConversation(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number, assigneeId: number | null): Promise<Conversation> {
  return change(deps, workspaceId, agentId, conversationId, (s) => {
    if (assigneeId !== null && !stmt(deps.db.conn, 'SELECT 1 FROM Membership WHERE workspaceId = ? AND agentId = ?').get(workspaceId, assigneeId)) {
      throw validation([{ path: 'agentId', message: 'is not a member of this workspace' }]);
    }
    if (s.assigneeId === assigneeId) return null;
    return {
      action: assigneeId === null ? 'conversation.unassigned' : 'conversation.assigned',
      path: 'assignee',
      from: agentName(deps.db, s.assigneeId),
      to: agentName(deps.db, assigneeId),
      set: 'assigneeId = ?',
      params: [assigneeId],
      extra: { agentId: assigneeId === null ? null : String(assigneeId) },
    };
  });
}

/** open / pending / resolved (resolve and reopen are this). */
export function setConversationStatus(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number, status: ConversationStatus): Promise<Conversation> {
  return change(deps, workspaceId, agentId, conversationId, (s) =>
    s.status === status ? null : { action: 'conversation.status_set', path: 'status', from: s.status, to: status, set: 'status = ?', params: [status] },
  );
}

/** The agent has seen every message: the unread count drops to 0. */
export function markConversationRead(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number): Promise<Conversation> {
  return change(deps, workspaceId, agentId, conversationId, (s) =>
    s.unreadCount === 0 ? null : { action: 'conversation.read', path: 'unreadCount', from: s.unreadCount, to: 0, set: 'unreadCount = ?', params: [0] },
  );
}
