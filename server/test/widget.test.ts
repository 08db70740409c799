import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import type { Message, WidgetClientToServerEvents, WidgetServerToClientEvents } from '@switchboard/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { login, setupApp, type TestApp } from './helper.ts';
import { newTeam } from './factories.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';
import { widgetLimits } from '../src/features/widget/limits.ts';

type VisitorSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

let t: TestApp;
let url: string;
const sockets: { close(): void }[] = [];
beforeAll(async () => {
  t = await setupApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await t.close();
});

// Sessions are limited per address: each test speaks from its own.
let ipSeq = 0;
const nextIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

const visitorCookie = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'sb_visitor');
  if (!c) throw new Error(`no visitor cookie in ${res.statusCode}: ${res.body}`);
  return `sb_visitor=${c.value}`;
};

const startSession = (ws: number | string, opts: { cookie?: string; body?: object; ip?: string } = {}) =>
  t.app.inject({
    method: 'POST',
    url: `/api/widget/${ws}/session`,
    headers: opts.cookie ? { cookie: opts.cookie } : {},
    payload: opts.body ?? {},
    remoteAddress: opts.ip ?? nextIp(),
  });

async function newVisitor(ws: number, body: object = {}) {
  const res = await startSession(ws, { body });
  expect(res.statusCode, res.body).toBe(201);
  return { cookie: visitorCookie(res), visitorId: res.json().visitor.visitorId as string };
}

let msgSeq = 0;
const say = (ws: number | string, cookie: string | undefined, text: string, clientMessageId = `test-msg-${++msgSeq}`) =>
  t.app.inject({
    method: 'POST',
    url: `/api/widget/${ws}/messages`,
    headers: cookie ? { cookie } : {},
    payload: { text, clientMessageId },
    remoteAddress: '10.1.1.1',
  });

const conversationOf = (ws: number, cookie?: string) =>
  t.app.inject({ url: `/api/widget/${ws}/conversation`, headers: cookie ? { cookie } : {}, remoteAddress: '10.1.1.2' });

function visitorSocket(cookie: string | undefined, workspaceId: number | string): VisitorSocket {
  const s: VisitorSocket = connect(`${url}/widget`, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    auth: { workspaceId: String(workspaceId) },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(s);
  return s;
}

async function openVisitor(cookie: string, ws: number) {
  const s = visitorSocket(cookie, ws);
  await connected(s as unknown as ClientSocket);
  return s;
}

/** Every event a visitor socket receives, in order. */
function visitorRecorder(s: VisitorSocket) {
  const events: { name: string; payload: unknown }[] = [];
  s.onAny((name: string, payload: unknown) => events.push({ name, payload }));
  return {
    events,
    async waitFor(pred: (e: { name: string; payload: unknown }) => boolean, timeoutMs = 5000) {
      const start = Date.now();
      while (Date.now() - start < timeoutMs) {
        const hit = events.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.name).join(', ')}`);
    },
  };
}

async function openAgent(email: string) {
  const s = socketFor(url, await login(t.app, email));
  sockets.push(s);
  await connected(s);
  return s;
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('visitor session', () => {
  it('404s an unknown workspace and names a bad field', async () => {
    expect((await startSession(999999)).statusCode).toBe(404);
    expect((await startSession('abc')).statusCode).toBe(400);
    const { workspace } = await newTeam(t.db);
    const bad = await startSession(workspace.id, { body: { email: 'not-an-email' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'validation', details: [{ path: 'email' }] });
    const extra = await startSession(workspace.id, { body: { name: 'Ann', role: 'admin' } });
    expect(extra.statusCode).toBe(400);
  });

  it('sets an HTTP-only, SameSite=Lax, signed cookie and stores only a hash of its token', async () => {
    const { workspace } = await newTeam(t.db);
    const res = await startSession(workspace.id, { body: { name: 'Ada Lovelace', email: 'Ada@Example.test' } });
    expect(res.statusCode).toBe(201);
    const cookie = res.cookies.find((c) => c.name === 'sb_visitor')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    expect(cookie.maxAge).toBeGreaterThan(30 * 24 * 3600);
    // Signed: "<token>.<signature>".
    const token = cookie.value.slice(0, cookie.value.lastIndexOf('.'));
    expect(token.length).toBeGreaterThanOrEqual(43);

    const body = res.json();
    expect(body).toEqual({
      workspace: { id: String(workspace.id), name: workspace.name },
      visitor: { visitorId: expect.stringMatching(/^v_/), name: 'Ada Lovelace', conversationId: null },
    });
    const contact = await t.db.prisma.contact.findFirstOrThrow({ where: { workspaceId: workspace.id, channelUserId: body.visitor.visitorId } });
    expect(contact).toMatchObject({ channel: 'webchat', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.test' });
    const sessions = await t.db.prisma.widgetSession.findMany({ where: { contactId: contact.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sessions[0]!.tokenHash).not.toContain(token);
    expect(body.visitor.visitorId).not.toContain(token);
  });

  it('resumes the same visitor with its cookie, and starts a new one for a forged cookie', async () => {
    const { workspace } = await newTeam(t.db);
    const first = await newVisitor(workspace.id);
    const again = await startSession(workspace.id, { cookie: first.cookie, body: { name: 'Ignored' } });
    expect(again.statusCode).toBe(200);
    expect(again.json().visitor.visitorId).toBe(first.visitorId);
    expect(await t.db.prisma.contact.count({ where: { workspaceId: workspace.id } })).toBe(1);

    const forged = await startSession(workspace.id, { cookie: first.cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) });
    expect(forged.statusCode).toBe(201);
    expect(forged.json().visitor.visitorId).not.toBe(first.visitorId);
  });

  it("keeps one browser's visitors of two workspaces apart", async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const va = await newVisitor(a.workspace.id);
    const inB = await startSession(b.workspace.id, { cookie: va.cookie });
    expect(inB.statusCode).toBe(201);
    expect(inB.json().visitor.visitorId).not.toBe(va.visitorId);
    // The same cookie still resumes the visitor of A.
    expect((await startSession(a.workspace.id, { cookie: visitorCookie(inB) })).json().visitor.visitorId).toBe(va.visitorId);
  });
});

describe('visitor messages', () => {
  it('refuses a message without a visitor, and names a bad field', async () => {
    const { workspace } = await newTeam(t.db);
    const res = await say(workspace.id, undefined, 'hello');
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('unauthorized');
    const v = await newVisitor(workspace.id);
    const bad = await say(workspace.id, v.cookie, 'hi', 'short');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([{ path: 'clientMessageId', message: expect.any(String) }]);
    expect((await say(workspace.id, v.cookie, '   ')).statusCode).toBe(400);
  });

  it('stores the message through the inbound path, once per client message id, and tells the agents', async () => {
    const { workspace, members } = await newTeam(t.db);
    const agent = await openAgent(members.agent.email);
    const seen = recorder(agent);
    const v = await newVisitor(workspace.id, { name: 'Grace' });

    const first = await say(workspace.id, v.cookie, 'Where is my order?', 'order-question-1');
    expect(first.statusCode).toBe(201);
    const message = first.json() as Message;
    expect(message).toMatchObject({ direction: 'in', authorKind: 'contact', body: 'Where is my order?', externalId: 'order-question-1', agent: null });

    const conversation = await t.db.prisma.conversation.findUniqueOrThrow({ where: { id: Number(message.conversationId) }, include: { contact: true } });
    expect(conversation).toMatchObject({ workspaceId: workspace.id, channel: 'webchat', status: 'open', preview: 'Where is my order?' });
    expect(conversation.contact).toMatchObject({ channel: 'webchat', channelUserId: v.visitorId, firstName: 'Grace' });

    const pushed = await seen.waitFor((e) => e.name === 'message:created' && (e.envelope.data as Message).id === message.id);
    expect(pushed.envelope.workspaceId).toBe(String(workspace.id));
    await seen.waitFor((e) => e.name === 'conversation:upserted' && (e.envelope.data as { id: string }).id === message.conversationId);

    // The page retries after a lost answer: same message, nothing new stored or pushed.
    const eventsBefore = seen.events.length;
    const retry = await say(workspace.id, v.cookie, 'Where is my order?', 'order-question-1');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(message.id);
    expect(await t.db.prisma.message.count({ where: { conversationId: conversation.id } })).toBe(1);
    await settle();
    expect(seen.events.length).toBe(eventsBefore);

    // The page shows what the visitor has said, and knows its conversation now.
    const convo = (await conversationOf(workspace.id, v.cookie)).json();
    expect(convo.visitor).toEqual({ visitorId: v.visitorId, name: 'Grace', conversationId: message.conversationId });
    expect(convo.messages.map((m: Message) => m.id)).toEqual([message.id]);
  });

  it('shows a page without a visitor its workspace and no messages', async () => {
    const { workspace } = await newTeam(t.db);
    const res = await conversationOf(workspace.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ workspace: { id: String(workspace.id), name: workspace.name }, visitor: null, messages: [] });
    expect((await conversationOf(999999)).statusCode).toBe(404);
  });
});

describe('visitor socket', () => {
  it('refuses a handshake without a visitor cookie of that workspace', async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const v = await newVisitor(a.workspace.id);
    await expect(connected(visitorSocket(undefined, a.workspace.id) as unknown as ClientSocket)).rejects.toThrow(/unauthorized/);
    await expect(connected(visitorSocket('sb_visitor=forged.value', a.workspace.id) as unknown as ClientSocket)).rejects.toThrow(/unauthorized/);
    await expect(connected(visitorSocket(v.cookie, b.workspace.id) as unknown as ClientSocket)).rejects.toThrow(/unauthorized/);
    await expect(connected(visitorSocket(v.cookie, 'nope') as unknown as ClientSocket)).rejects.toThrow(/unauthorized/);
    // A visitor cookie is no agent session: the console's namespace stays closed.
    await expect(connected(socketFor(url, v.cookie))).rejects.toThrow(/unauthorized/);
  });

  it('joins the conversation its first message creates; agent replies and typing reach it, and its typing reaches the agent', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = String(workspace.id);
    const v = await newVisitor(workspace.id, { name: 'Lin' });
    // Connected before any conversation exists.
    const visitor = await openVisitor(v.cookie, workspace.id);
    const heard = visitorRecorder(visitor);

    const first = (await say(workspace.id, v.cookie, 'Hi there', 'lin-hello-1')).json() as Message;
    // Its own message reaches its other tabs too.
    await heard.waitFor((e) => e.name === 'message:created' && (e.payload as Message).id === first.id);

    const agent = await openAgent(members.agent.email);
    const agentSeen = recorder(agent);
    expect(await agent.timeout(5000).emitWithAck('conversation:open', { workspaceId: ws, conversationId: first.conversationId })).toMatchObject({ ok: true });

    // Agent typing → visitor, without the agent's internal id.
    await agent.timeout(5000).emitWithAck('typing:set', { workspaceId: ws, conversationId: first.conversationId, typing: true });
    const typing = await heard.waitFor((e) => e.name === 'typing:updated');
    expect(typing.payload).toMatchObject({ conversationId: first.conversationId, typing: true, who: { kind: 'agent', id: null, name: expect.any(String) } });

    const reply = await agent.timeout(5000).emitWithAck('message:send', { workspaceId: ws, conversationId: first.conversationId, body: 'Hello Lin!', idempotencyKey: 'reply-lin-0001' });
    expect(reply).toMatchObject({ ok: true, data: { body: 'Hello Lin!', direction: 'out' } });
    const got = await heard.waitFor((e) => e.name === 'message:created' && (e.payload as Message).body === 'Hello Lin!');
    expect(got.payload).toMatchObject({ authorKind: 'agent', agent: { name: expect.any(String) }, conversationId: first.conversationId });

    // Visitor typing → the agents viewing the conversation.
    expect(await visitor.emitWithAck('typing:set', { typing: true })).toEqual({ ok: true, data: null });
    const fromContact = (e: { name: string; envelope: unknown }) => e.name === 'typing:updated' && (e.envelope as { who: { kind: string } }).who.kind === 'contact';
    const visitorTyping = await agentSeen.waitFor(fromContact);
    expect(visitorTyping.envelope).toMatchObject({
      workspaceId: ws,
      conversationId: first.conversationId,
      typing: true,
      who: { kind: 'contact', name: 'Lin' },
    });
    // Leaving while typing says "stopped".
    visitor.close();
    await agentSeen.waitFor((e) => fromContact(e) && (e.envelope as unknown as { typing: boolean }).typing === false);

    // The reply is in the visitor's history after a reload.
    const convo = (await conversationOf(workspace.id, v.cookie)).json();
    expect(convo.messages.map((m: Message) => m.body)).toEqual(['Hi there', 'Hello Lin!']);
  });

  it("never gives a visitor another visitor's messages, another conversation, agent commands or workspace broadcasts", async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = String(workspace.id);
    const one = await newVisitor(workspace.id);
    const two = await newVisitor(workspace.id);
    const first = (await say(workspace.id, one.cookie, 'I am visitor one', 'one-hello-01')).json() as Message;
    const second = (await say(workspace.id, two.cookie, 'I am visitor two', 'two-hello-01')).json() as Message;
    expect(second.conversationId).not.toBe(first.conversationId);

    const twoSocket = await openVisitor(two.cookie, workspace.id);
    const twoHeard = visitorRecorder(twoSocket);

    // Agent commands do not exist on the widget namespace; nothing is joined or sent.
    expect(await twoSocket.timeout(2000).emitWithAck('conversation:open' as 'typing:set', { workspaceId: ws, conversationId: first.conversationId } as never)).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(
      await twoSocket
        .timeout(2000)
        .emitWithAck('message:send' as 'typing:set', { workspaceId: ws, conversationId: first.conversationId, body: 'x', idempotencyKey: 'hijack-0001' } as never),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // typing:set never names a conversation: a foreign id in the payload is ignored.
    const agent = await openAgent(members.agent.email);
    const agentSeen = recorder(agent);
    await agent.timeout(5000).emitWithAck('conversation:open', { workspaceId: ws, conversationId: first.conversationId });
    await twoSocket.emitWithAck('typing:set', { typing: true, conversationId: first.conversationId } as never);

    // Activity in visitor one's conversation, and workspace-wide changes.
    await agent.timeout(5000).emitWithAck('message:send', { workspaceId: ws, conversationId: first.conversationId, body: 'Only for one', idempotencyKey: 'reply-one-0001' });
    await agent.timeout(5000).emitWithAck('typing:set', { workspaceId: ws, conversationId: first.conversationId, typing: true });
    const supervisor = await login(t.app, members.supervisor.email);
    const contactTwo = await t.db.prisma.contact.findFirstOrThrow({ where: { channelUserId: two.visitorId } });
    await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${contactTwo.id}`, headers: { cookie: supervisor }, payload: { ops: [{ op: 'addTag', tag: 'vip' }] } });
    await settle();

    expect(twoHeard.events).toEqual([]);
    expect(await t.db.prisma.message.count({ where: { externalId: 'hijack-0001' } })).toBe(0);
    expect(agentSeen.events.filter((e) => e.name === 'typing:updated' && (e.envelope as unknown as { conversationId: string }).conversationId === first.conversationId && (e.envelope as unknown as { who: { kind: string } }).who.kind === 'contact')).toEqual([]);

    // Its own conversation still works; its history holds its own messages only.
    await agent.timeout(5000).emitWithAck('message:send', { workspaceId: ws, conversationId: second.conversationId, body: 'For two', idempotencyKey: 'reply-two-0001' });
    await twoHeard.waitFor((e) => e.name === 'message:created');
    expect(twoHeard.events.map((e) => (e.payload as Message).body)).toEqual(['For two']);
    const history = (await conversationOf(workspace.id, two.cookie)).json();
    expect(history.messages.map((m: Message) => m.body)).toEqual(['I am visitor two', 'For two']);
  });
});

describe('rate limits', () => {
  it(`allows ${widgetLimits.messagesPerVisitorPerMinute} messages a minute per visitor, then 429`, async () => {
    const { workspace } = await newTeam(t.db);
    const v = await newVisitor(workspace.id);
    for (let i = 0; i < widgetLimits.messagesPerVisitorPerMinute; i++) {
      expect((await say(workspace.id, v.cookie, `msg ${i}`)).statusCode, `message ${i}`).toBe(201);
    }
    const limited = await say(workspace.id, v.cookie, 'one too many');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
    // Another visitor on the same address is not affected.
    const other = await newVisitor(workspace.id);
    expect((await say(workspace.id, other.cookie, 'hello')).statusCode).toBe(201);
  });

  it(`allows ${widgetLimits.sessionsPerIpPerMinute} new sessions a minute per address, then 429`, async () => {
    const { workspace } = await newTeam(t.db);
    const ip = '10.200.0.1';
    for (let i = 0; i < widgetLimits.sessionsPerIpPerMinute; i++) expect((await startSession(workspace.id, { ip })).statusCode).toBe(201);
    const limited = await startSession(workspace.id, { ip });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(await t.db.prisma.contact.count({ where: { workspaceId: workspace.id } })).toBe(widgetLimits.sessionsPerIpPerMinute);
  });

  it('throttles socket commands', async () => {
    const { workspace } = await newTeam(t.db);
    const v = await newVisitor(workspace.id);
    const s = await openVisitor(v.cookie, workspace.id);
    const acks = [];
    for (let i = 0; i <= widgetLimits.socketCommands.max; i++) acks.push(await s.emitWithAck('typing:set', { typing: i % 2 === 0 }));
    expect(acks.slice(0, -1).every((a) => a.ok)).toBe(true);
    expect(acks.at(-1)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
  });
});
