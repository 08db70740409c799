import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { Conversation, Message } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newAgent, newContact, newConversation, newTeam } from './factories.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';
import type { SqlValue } from '../src/db/sql.ts';

let t: TestApp;
let url: string;
const sockets: ClientSocket[] = [];
beforeAll(async () => {
  t = await setupApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await t.close();
});

const open = async (cookie: string): Promise<ClientSocket> => {
  const s = socketFor(url, cookie);
  sockets.push(s);
  await connected(s);
  return s;
};
const get = (path: string, cookie: string) => t.app.inject({ method: 'GET', url: path, headers: { cookie } });
const q = <T>(sql: string, ...params: SqlValue[]) => t.db.sql.all<T>(sql, params);
const setConv = (id: number, data: { status?: string; assigneeId?: number | null; lastMessageAt?: Date; unreadCount?: number; channel?: string }) =>
  t.db.tx((tx) => tx.conversation.update({ where: { id }, data }));

/** A team, a signed-in agent and one conversation with a contact. */
async function scene(channel = 'messenger') {
  const team = await newTeam(t.db);
  const ws = team.workspace.id;
  const contact = await newContact(t.db, { workspaceId: ws });
  const conv = await newConversation(t.db, { workspaceId: ws, contactId: contact.id });
  await setConv(conv.id, { channel, unreadCount: 2 });
  const cookie = await login(t.app, team.members.agent.email);
  return { ...team, ws, contact, conv, cookie };
}

describe('conversations REST: unhappy paths', () => {
  it('404s another workspace’s conversation, and 400s a bad query naming the field', async () => {
    const a = await scene();
    const b = await scene();
    for (const path of [
      `/api/workspaces/${b.ws}/conversations/${a.conv.id}`,
      `/api/workspaces/${b.ws}/conversations/${a.conv.id}/messages`,
      `/api/workspaces/${a.ws}/conversations`, // b's agent is no member of a
    ]) {
      const res = await get(path, b.cookie);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    const [foreignMessage] = await q<{ id: number }>('SELECT id FROM Message WHERE conversationId = ?', b.conv.id);
    const bad: [string, string][] = [
      [`/api/workspaces/${a.ws}/conversations?status=closed`, 'status'],
      [`/api/workspaces/${a.ws}/conversations?assignee=bob`, 'assignee'],
      [`/api/workspaces/${a.ws}/conversations?limit=500`, 'limit'],
      [`/api/workspaces/${a.ws}/conversations?cursor=garbage`, 'cursor'],
      [`/api/workspaces/${a.ws}/conversations/${a.conv.id}/messages?before=${foreignMessage!.id}`, 'before'],
    ];
    for (const [path, field] of bad) {
      const res = await get(path, a.cookie);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().details[0].path).toBe(field);
    }
    expect((await get(`/api/workspaces/${a.ws}/conversations?segmentId=999999`, a.cookie)).statusCode).toBe(404);
  });
});

describe('conversations REST', () => {
  it('lists newest activity first in keyset pages, filtered by status, assignee and segment', async () => {
    const { ws, members, cookie, conv } = await scene();
    const lead = await login(t.app, members.lead.email);
    const base = Date.now() - 3_600_000;
    const convs: number[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await newContact(t.db, { workspaceId: ws, firstName: i % 2 ? 'Vip' : 'Plain' });
      const conv = await newConversation(t.db, { workspaceId: ws, contactId: c.id });
      // Two share a timestamp: the id breaks the tie.
      await setConv(conv.id, { lastMessageAt: new Date(base + Math.min(i, 5) * 1000), status: i % 3 === 0 ? 'resolved' : 'open', assigneeId: i === 2 ? members.agent.id : null });
      convs.push(conv.id);
    }
    const pages: Conversation[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/workspaces/${ws}/conversations?status=all&limit=3${cursor ? `&cursor=${cursor}` : ''}`, cookie);
      expect(res.statusCode, res.body).toBe(200);
      pages.push(res.json().items);
      cursor = res.json().nextCursor;
    } while (cursor);
    const all = pages.flat().map((c) => Number(c.id));
    // Two share a timestamp (5 and 6): the higher id comes first. The scene's own conversation is newest.
    expect(all).toEqual([conv.id, convs[6], convs[5], convs[4], convs[3], convs[2], convs[1], convs[0]]);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);

    const ids = async (qs: string) => (await get(`/api/workspaces/${ws}/conversations?${qs}`, cookie)).json().items.map((c: Conversation) => Number(c.id));
    expect(await ids('status=resolved')).toEqual([convs[6], convs[3], convs[0]]);
    expect(await ids('assignee=me&status=all')).toEqual([convs[2]]);
    expect(await ids('assignee=unassigned')).toEqual([conv.id, convs[5], convs[4], convs[1]]);

    const seg = (await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/segments`, headers: { cookie: lead }, payload: { name: 'VIP', filter: { field: 'firstName', op: 'eq', value: 'vip' } } })).json();
    const inSegment = (await get(`/api/workspaces/${ws}/conversations?status=all&segmentId=${seg.id}`, cookie)).json().items as Conversation[];
    expect(inSegment.map((c) => Number(c.id))).toEqual([convs[5], convs[3], convs[1]]);
    expect(inSegment.every((c) => c.segmentIds.includes(seg.id))).toBe(true);
  });

  it('gives one conversation with its contact, assignee and segments', async () => {
    const { ws, conv, contact, cookie, members } = await scene();
    await setConv(conv.id, { assigneeId: members.supervisor.id });
    const res = await get(`/api/workspaces/${ws}/conversations/${conv.id}`, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: String(conv.id), channel: 'messenger', status: 'open', unreadCount: 2, segmentIds: [],
      contact: { id: String(contact.id), name: `${contact.firstName} ${contact.lastName}`, channelUserId: contact.channelUserId },
      assignee: { id: String(members.supervisor.id), name: expect.any(String) },
    });
  });

  it('pages messages backwards, each page oldest first', async () => {
    const { ws, contact, cookie } = await scene();
    const texts = Array.from({ length: 7 }, (_, i) => `line ${i}`);
    const conv = await newConversation(t.db, { workspaceId: ws, contactId: contact.id, texts });
    const page = async (qs: string) => (await get(`/api/workspaces/${ws}/conversations/${conv.id}/messages?${qs}`, cookie)).json();
    const last = await page('limit=3');
    expect(last.items.map((m: Message) => m.body)).toEqual(['line 4', 'line 5', 'line 6']);
    expect(last.hasMore).toBe(true);
    const middle = await page(`limit=3&before=${last.items[0].id}`);
    expect(middle.items.map((m: Message) => m.body)).toEqual(['line 1', 'line 2', 'line 3']);
    const first = await page(`limit=3&before=${middle.items[0].id}`);
    expect(first).toMatchObject({ items: [{ body: 'line 0', direction: 'in', authorKind: 'contact' }], hasMore: false });
  });
});

describe('socket commands: unhappy paths', () => {
  it('answers not_found to a member of another workspace and validation to a bad payload', async () => {
    const a = await scene();
    const b = await scene();
    const stranger = await open(b.cookie);
    const ref = { workspaceId: String(a.ws), conversationId: String(a.conv.id) };
    for (const [name, extra] of [
      ['conversation:open', {}],
      ['message:send', { body: 'hi', idempotencyKey: 'key-12345678' }],
      ['conversation:assign', { agentId: null }],
      ['conversation:status', { status: 'resolved' }],
      ['conversation:read', {}],
      ['typing:set', { typing: true }],
    ] as const) {
      const ack = await (stranger as unknown as { emitWithAck(n: string, p: unknown): Promise<unknown> }).emitWithAck(name, { ...ref, ...extra });
      expect(ack, name).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    // b's workspace id with a's conversation id: still not found.
    expect(await stranger.emitWithAck('conversation:open', { workspaceId: String(b.ws), conversationId: String(a.conv.id) })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const mine = await open(a.cookie);
    expect(await mine.emitWithAck('message:send', { ...ref, body: '   ', idempotencyKey: 'key-12345678' })).toMatchObject({ ok: false, error: { code: 'validation', details: [{ path: 'body' }] } });
    expect(await mine.emitWithAck('conversation:status', { ...ref, status: 'closed' as never })).toMatchObject({ ok: false, error: { code: 'validation', details: [{ path: 'status' }] } });
    const outsider = await newAgent(t.db);
    expect(await mine.emitWithAck('conversation:assign', { ...ref, agentId: String(outsider.id) })).toMatchObject({ ok: false, error: { code: 'validation', details: [{ path: 'agentId' }] } });
    expect(await q('SELECT status, assigneeId FROM Conversation WHERE id = ?', a.conv.id)).toEqual([{ status: 'open', assigneeId: null }]);
  });
});

describe('socket commands', () => {
  it('message:send stores an agent reply once per idempotency key, queues its outbound delivery and pushes it', async () => {
    const { ws, conv, contact, cookie, members } = await scene();
    const me = await open(cookie);
    const colleague = recorder(await open(await login(t.app, members.supervisor.email)));
    const payload = { workspaceId: String(ws), conversationId: String(conv.id), body: 'On my way!', idempotencyKey: 'reply-0001-abcd' };
    const [a1, a2] = await Promise.all([me.emitWithAck('message:send', payload), me.emitWithAck('message:send', payload)]);
    expect(a1).toMatchObject({ ok: true, data: { direction: 'out', authorKind: 'agent', body: 'On my way!', deliveryStatus: 'pending', agent: { id: String(members.agent.id) } } });
    expect(a2).toEqual(a1);
    const id = Number((a1 as { data: Message }).data.id);
    expect(await q('SELECT count(*) AS n FROM Message WHERE externalId = ?', 'reply-0001-abcd')).toEqual([{ n: 1 }]);
    expect(await q('SELECT status, attempts FROM OutboundDelivery WHERE messageId = ?', id)).toEqual([{ status: 'pending', attempts: 0 }]);

    const pushed = await colleague.waitFor((e) => e.name === 'message:created');
    expect(pushed.envelope.data).toMatchObject({ id: String(id), body: 'On my way!' });
    const upserted = await colleague.waitFor((e) => e.name === 'conversation:upserted');
    expect(upserted.envelope.data).toMatchObject({ id: String(conv.id), preview: 'On my way!', unreadCount: 0, segmentIds: [] });
    await new Promise((r) => setTimeout(r, 100));
    expect(colleague.events.filter((e) => e.name === 'message:created')).toHaveLength(1);
    expect(await q("SELECT action FROM AuditEvent WHERE contactId = ? AND action = 'message.sent'", contact.id)).toHaveLength(1);
  });

  it('hands a web chat reply and typing to the visitor’s socket (no outbound webhook), once per message', async () => {
    const { ws, conv, cookie } = await scene('webchat');
    // The widget's own tests cover its socket; here: what this slice hands to the gateway.
    const toVisitor = vi.spyOn(t.app.gateway, 'toVisitor');
    try {
      const me = await open(cookie);
      const ref = { workspaceId: String(ws), conversationId: String(conv.id) };
      expect(await me.emitWithAck('typing:set', { ...ref, typing: true })).toEqual({ ok: true, data: null });
      const send = { ...ref, body: 'Hello visitor', idempotencyKey: 'web-reply-0001' };
      const ack = (await me.emitWithAck('message:send', send)) as { ok: true; data: Message };
      expect(await me.emitWithAck('message:send', send)).toEqual(ack);
      expect(ack.data.deliveryStatus).toBe('delivered');
      expect(await q('SELECT count(*) AS n FROM OutboundDelivery WHERE messageId = ?', Number(ack.data.id))).toEqual([{ n: 0 }]);
      expect(toVisitor.mock.calls).toEqual([
        [conv.id, 'typing:updated', { workspaceId: String(ws), conversationId: String(conv.id), typing: true, who: { kind: 'agent', id: null, name: expect.any(String) } }],
        // The visitor gets the agent's name but not its internal id.
        [conv.id, 'message:created', { ...ack.data, agent: { id: null, name: ack.data.agent!.name } }],
      ]);
    } finally {
      toVisitor.mockRestore();
    }
  });

  it('typing reaches the agents viewing the conversation, not the others', async () => {
    const { ws, conv, cookie, members } = await scene();
    const me = await open(cookie);
    const viewer = await open(await login(t.app, members.supervisor.email));
    const elsewhere = recorder(await open(await login(t.app, members.lead.email)));
    const seen = recorder(viewer);
    const ref = { workspaceId: String(ws), conversationId: String(conv.id) };
    expect(await viewer.emitWithAck('conversation:open', ref)).toEqual({ ok: true, data: { conversationId: String(conv.id) } });
    await me.emitWithAck('typing:set', { ...ref, typing: true });
    const typing = await seen.waitFor((e) => e.name === 'typing:updated');
    expect(typing.envelope).toMatchObject({ workspaceId: String(ws), conversationId: String(conv.id), typing: true, who: { kind: 'agent', id: String(members.agent.id) } });
    expect(await viewer.emitWithAck('conversation:close', ref)).toEqual({ ok: true, data: null });
    await me.emitWithAck('typing:set', { ...ref, typing: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.events.filter((e) => e.name === 'typing:updated')).toHaveLength(1);
    expect(elsewhere.events.filter((e) => e.name === 'typing:updated')).toEqual([]);
  });

  it('assign, status and read answer with the conversation, push it, and audit each change once', async () => {
    const { ws, conv, contact, cookie, members } = await scene();
    const me = await open(cookie);
    const colleague = recorder(await open(await login(t.app, members.supervisor.email)));
    const ref = { workspaceId: String(ws), conversationId: String(conv.id) };

    const assigned = await me.emitWithAck('conversation:assign', { ...ref, agentId: String(members.supervisor.id) });
    expect(assigned).toMatchObject({ ok: true, data: { assignee: { id: String(members.supervisor.id) } } });
    expect(await me.emitWithAck('conversation:assign', { ...ref, agentId: String(members.supervisor.id) })).toEqual(assigned);
    const resolved = await me.emitWithAck('conversation:status', { ...ref, status: 'resolved' });
    expect(resolved).toMatchObject({ ok: true, data: { status: 'resolved' } });
    const read = await me.emitWithAck('conversation:read', ref);
    expect(read).toMatchObject({ ok: true, data: { unreadCount: 0, status: 'resolved', assignee: { id: String(members.supervisor.id) } } });
    const unassigned = await me.emitWithAck('conversation:assign', { ...ref, agentId: null });
    expect(unassigned).toMatchObject({ ok: true, data: { assignee: null } });

    await colleague.waitFor((e) => e.name === 'conversation:upserted' && (e.envelope.data as Conversation).assignee === null);
    const pushes = colleague.events.filter((e) => e.name === 'conversation:upserted').map((e) => e.envelope.data as Conversation);
    expect(pushes.map((c) => [c.assignee?.id ?? null, c.status, c.unreadCount])).toEqual([
      [String(members.supervisor.id), 'open', 2],
      [String(members.supervisor.id), 'resolved', 2],
      [String(members.supervisor.id), 'resolved', 0],
      [null, 'resolved', 0],
    ]);
    const audit = await q<{ action: string; actorId: number; changes: string }>('SELECT action, actorId, changes FROM AuditEvent WHERE contactId = ? ORDER BY id', contact.id);
    expect(audit.map((a) => a.action)).toEqual(['conversation.assigned', 'conversation.status_set', 'conversation.read', 'conversation.unassigned']);
    expect(audit.every((a) => a.actorId === members.agent.id)).toBe(true);
    expect(JSON.parse(audit[1]!.changes)).toEqual({ conversationId: String(conv.id), path: 'status', from: 'open', to: 'resolved' });
  });
});
