import { createHash, randomBytes } from 'node:crypto';
import { fold, type WidgetSessionBody, type WidgetVisitor } from '@switchboard/shared';
import type { Db } from '../../db/client.ts';
import type { Sql } from '../../db/sql.ts';
import type { Gateway } from '../../realtime/gateway.ts';
import { changeBy, recordAudit, type Actor } from '../audit/service.ts';
import { publishContactChange } from '../contacts/broadcast.ts';
import { loadContactDetail } from '../contacts/detail.ts';
import { displayName } from '../contacts/profile.ts';

export const VISITOR_COOKIE = 'sb_visitor';
export const VISITOR_TTL_MS = 180 * 24 * 3600 * 1000;

/** Who creates a visitor's contact in the audit trail: the widget itself, not an agent. */
export const widgetActor: Actor = { kind: 'system' };

export const newVisitorToken = () => randomBytes(32).toString('base64url');

/**
 * One cookie token serves every workspace's widget in a browser, but each workspace stores a
 * different hash of it (salted by the workspace id): the rows of two workspaces cannot be linked,
 * and a token is only ever compared through its hash.
 */
export const visitorTokenHash = (workspaceId: number, token: string) => createHash('sha256').update(`${workspaceId}:${token}`).digest('hex');

export interface Visitor {
  widgetSessionId: number;
  workspaceId: number;
  contactId: number;
  visitorId: string;
  name: string | null;
}

// lastSeenAt is refreshed at most this often, so reads do not turn into writes.
const TOUCH_EVERY_MS = 5 * 60 * 1000;

export async function findVisitor(db: Db, workspaceId: number, token: string): Promise<Visitor | null> {
  const row = await db.sql.get<{ id: number; contactId: number; lastSeenAt: number; channelUserId: string; firstName: string | null; lastName: string | null }>(
    `SELECT w.id, w.contactId, w.lastSeenAt, c.channelUserId, c.firstName, c.lastName
     FROM WidgetSession w JOIN Contact c ON c.id = w.contactId
     WHERE w.tokenHash = ? AND w.workspaceId = ?`,
    [visitorTokenHash(workspaceId, token), workspaceId],
  );
  if (!row) return null;
  const now = Date.now();
  if (now - row.lastSeenAt > TOUCH_EVERY_MS) {
    await db.tx((_tx, sql) => sql.run('UPDATE WidgetSession SET lastSeenAt = ? WHERE id = ?', [new Date(now), row.id]));
  }
  return {
    widgetSessionId: row.id,
    workspaceId,
    contactId: row.contactId,
    visitorId: row.channelUserId,
    name: displayName(row.firstName, row.lastName) || null,
  };
}

/**
 * A new visitor: its webchat contact (channel user id = a random public visitor id, never the
 * token) and the session row, in one transaction; agents see the contact appear.
 */
export async function createVisitor(db: Db, gateway: Gateway, workspaceId: number, token: string, body: WidgetSessionBody): Promise<Visitor> {
  const visitorId = `v_${randomBytes(12).toString('base64url')}`;
  const [firstName, ...rest] = (body?.name ?? '').split(/\s+/).filter(Boolean);
  const lastName = rest.length ? rest.join(' ') : null;
  const outbox = gateway.outbox();
  const visitor = await db.tx(async (tx, sql) => {
    const now = new Date();
    const contact = await tx.contact.create({
      data: {
        workspaceId,
        channel: 'webchat',
        channelUserId: visitorId,
        firstName: firstName ?? null,
        lastName,
        nameKey: fold(displayName(firstName ?? null, lastName)),
        email: body?.email ?? null,
        subscribedAt: now,
      },
    });
    const session = await tx.widgetSession.create({
      data: { tokenHash: visitorTokenHash(workspaceId, token), workspaceId, contactId: contact.id },
    });
    await recordAudit(tx, {
      workspaceId,
      actor: widgetActor,
      contactId: contact.id,
      action: 'contact.created',
      changes: { channel: 'webchat', source: 'widget', firstName: contact.firstName, lastName, email: contact.email },
    });
    const detail = await loadContactDetail(sql, workspaceId, contact.id);
    await publishContactChange(sql, outbox, workspaceId, null, detail, [{ path: 'contact', from: null, to: 'created' }], await changeBy(sql, widgetActor));
    return {
      widgetSessionId: session.id,
      workspaceId,
      contactId: contact.id,
      visitorId,
      name: displayName(contact.firstName, contact.lastName) || null,
    };
  });
  gateway.publish(outbox);
  return visitor;
}

/** The conversations of a visitor's contact, newest first (the first is the current one). */
export function visitorConversationIds(sql: Sql, contactId: number, limit = 20): Promise<number[]> {
  return sql.column<number>('SELECT id FROM Conversation WHERE contactId = ? ORDER BY id DESC LIMIT ?', [contactId, limit]);
}

export async function toWireVisitor(sql: Sql, v: Visitor): Promise<WidgetVisitor> {
  const current = (await visitorConversationIds(sql, v.contactId, 1))[0];
  return { visitorId: v.visitorId, name: v.name, conversationId: current === undefined ? null : String(current) };
}

export async function workspaceName(sql: Sql, workspaceId: number): Promise<string | null> {
  return (await sql.value<string>('SELECT name FROM Workspace WHERE id = ?', [workspaceId])) ?? null;
}
