import type { Conversation, ConversationStatus } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql, SqlValue } from '../../db/sql.ts';
import { notFound, validation } from '../../lib/errors.ts';
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
  params: SqlValue[];
  extra?: Record<string, unknown>;
}

/**
 * Reads the conversation, lets `plan` decide the change (null = already so: nothing written,
 * nothing pushed), then writes it with its audit entry and `conversation:upserted` in one
 * transaction. Reading inside the transaction makes concurrent changes apply one after the other.
 * `plan` reads through the transaction's `sql` too.
 */
async function change(
  deps: ConversationDeps,
  workspaceId: number,
  agentId: number,
  conversationId: number,
  plan: (s: State, sql: Sql) => Promise<Change | null>,
): Promise<Conversation> {
  const { db, gateway } = deps;
  const outbox = gateway.outbox();
  const conversation = await db.tx(async (tx, sql) => {
    const state = await sql.get<State>('SELECT id, contactId, status, assigneeId, unreadCount FROM Conversation WHERE id = ? AND workspaceId = ?', [
      conversationId,
      workspaceId,
    ]);
    if (!state) throw notFound('Conversation');
    const c = await plan(state, sql);
    if (!c) return loadConversation(sql, workspaceId, conversationId);
    await sql.run(`UPDATE Conversation SET ${c.set}, updatedAt = ? WHERE id = ?`, [...c.params, new Date(), conversationId]);
    await recordAudit(tx, {
      workspaceId,
      actor: { kind: 'agent', id: agentId },
      contactId: state.contactId,
      action: c.action,
      changes: { conversationId: String(conversationId), path: c.path, from: c.from, to: c.to, ...c.extra },
    });
    const updated = await loadConversation(sql, workspaceId, conversationId);
    await outbox.add(sql, workspaceId, 'conversation:upserted', updated);
    return updated;
  });
  gateway.publish(outbox);
  return conversation;
}

const agentName = async (sql: Sql, id: number | null) => (id === null ? null : ((await sql.value<string>('SELECT name FROM Agent WHERE id = ?', [id])) ?? null));

/** Assigns (or, with null, unassigns) a conversation; the assignee must be a member of the workspace. */
export function assignConversation(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number, assigneeId: number | null): Promise<Conversation> {
  return change(deps, workspaceId, agentId, conversationId, async (s, sql) => {
    if (assigneeId !== null && !(await sql.get('SELECT 1 FROM Membership WHERE workspaceId = ? AND agentId = ?', [workspaceId, assigneeId]))) {
      throw validation([{ path: 'agentId', message: 'is not a member of this workspace' }]);
    }
    if (s.assigneeId === assigneeId) return null;
    return {
      action: assigneeId === null ? 'conversation.unassigned' : 'conversation.assigned',
      path: 'assignee',
      from: await agentName(sql, s.assigneeId),
      to: await agentName(sql, assigneeId),
      set: 'assigneeId = ?',
      params: [assigneeId],
      extra: { agentId: assigneeId === null ? null : String(assigneeId) },
    };
  });
}

/** open / pending / resolved (resolve and reopen are this). */
export function setConversationStatus(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number, status: ConversationStatus): Promise<Conversation> {
  return change(deps, workspaceId, agentId, conversationId, async (s) =>
    s.status === status ? null : { action: 'conversation.status_set', path: 'status', from: s.status, to: status, set: 'status = ?', params: [status] },
  );
}

/** The agent has seen every message: the unread count drops to 0. */
export function markConversationRead(deps: ConversationDeps, workspaceId: number, agentId: number, conversationId: number): Promise<Conversation> {
  return change(deps, workspaceId, agentId, conversationId, async (s) =>
    s.unreadCount === 0 ? null : { action: 'conversation.read', path: 'unreadCount', from: s.unreadCount, to: 0, set: 'unreadCount = ?', params: [0] },
  );
}
