import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ErrorCode, type Ack, type WidgetClientToServerEvents, type WidgetServerToClientEvents } from '@switchboard/shared';
import { io as connect, type Socket } from 'socket.io-client';
import { login, setupApp, type TestApp } from './helper.ts';
import { newAgent, newContact, newConversation, newTeam } from './factories.ts';
import { connected, listen, recorder, socketFor, type ClientSocket } from './support/sockets.ts';

/**
 * The socket half of the authorization matrix: every command an agent socket can send, every
 * room it can end up in, and the `/widget` namespace. The command list is read at runtime off
 * the listeners the server registers on a connected socket, so a command added without an entry
 * in `commands` fails the first test.
 */

/** A world seen from workspace B's agent: A's ids, which it must never reach, and B's own. */
interface World {
  a: { ws: string; conversationId: string; contactId: string; agentId: string };
  b: { ws: string; conversationId: string; contactId: string; agentId: string };
}
type Attempt = { payload: (w: World) => object; expect: ErrorCode | 'ok' };

let seq = 0;
const key = () => `authz-idem-${++seq}-${Date.now()}`;

/**
 * Every agent command, with what B's agent tries against A and how the server must answer.
 * `ok` only where the command cannot reach anything of A (leaving a room, replaying one's own
 * workspaces); what it did is checked separately.
 */
const commands: Record<string, Attempt[]> = {
  'sync:hello': [{ payload: (w) => ({ since: { [w.a.ws]: 0, [w.b.ws]: 0 } }), expect: 'ok' }],
  'presence:view': [
    { payload: (w) => ({ workspaceId: w.a.ws, contactId: w.a.contactId }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, contactId: w.a.contactId }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.a.ws, contactId: null }), expect: 'not_found' },
  ],
  'conversation:open': [
    { payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.a.conversationId }), expect: 'not_found' },
  ],
  'conversation:close': [{ payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId }), expect: 'ok' }],
  'message:send': [
    { payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId, body: 'hijack', idempotencyKey: key() }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.a.conversationId, body: 'hijack', idempotencyKey: key() }), expect: 'not_found' },
  ],
  'typing:set': [
    { payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId, typing: true }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.a.conversationId, typing: true }), expect: 'not_found' },
  ],
  'conversation:assign': [
    { payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId, agentId: w.b.agentId }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.a.conversationId, agentId: w.b.agentId }), expect: 'not_found' },
    // Its own conversation to A's agent: not a member of B.
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.b.conversationId, agentId: w.a.agentId }), expect: 'validation' },
  ],
  'conversation:status': [
    { payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId, status: 'resolved' }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.a.conversationId, status: 'resolved' }), expect: 'not_found' },
  ],
  'conversation:read': [
    { payload: (w) => ({ workspaceId: w.a.ws, conversationId: w.a.conversationId }), expect: 'not_found' },
    { payload: (w) => ({ workspaceId: w.b.ws, conversationId: w.a.conversationId }), expect: 'not_found' },
  ],
};

// Socket.IO's own events, not commands.
const reserved = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'error', 'newListener', 'removeListener']);

type VisitorSocket = Socket<WidgetServerToClientEvents, WidgetClientToServerEvents>;

let t: TestApp;
let url: string;
const sockets: { close(): void }[] = [];
beforeAll(async () => {
  t = await setupApp();
  url = await listen(t.app);
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await t.close();
});

const open = async (cookie: string | undefined) => {
  const s = socketFor(url, cookie);
  sockets.push(s);
  await connected(s);
  return s;
};
const settle = () => new Promise((r) => setTimeout(r, 150));
const io = () => t.app.gateway.server!;
/** The rooms the server has put a socket in (its own id aside). */
const roomsOf = (namespace: string, id: string) => [...(io().of(namespace).sockets.get(id)?.rooms ?? [])].filter((r) => r !== id).sort();
const emit = (s: ClientSocket, name: string, payload: object) =>
  (s.timeout(5000) as unknown as { emitWithAck(n: string, p: object): Promise<Ack<unknown>> }).emitWithAck(name, payload);

/** The commands the server listens to on a connected agent socket. */
async function registeredCommands(cookie: string): Promise<string[]> {
  const s = await open(cookie);
  const server = io().of('/').sockets.get(s.id!)!;
  s.close();
  return server.eventNames().map(String).filter((n) => !reserved.has(n)).sort();
}

/** Two workspaces with a conversation each, as B's agent sees them. */
async function world() {
  const a = await newTeam(t.db);
  const b = await newTeam(t.db);
  const contactA = await newContact(t.db, { workspaceId: a.workspace.id });
  const contactB = await newContact(t.db, { workspaceId: b.workspace.id });
  const convA = await newConversation(t.db, { workspaceId: a.workspace.id, contactId: contactA.id });
  const convB = await newConversation(t.db, { workspaceId: b.workspace.id, contactId: contactB.id });
  const ids: World = {
    a: { ws: String(a.workspace.id), conversationId: String(convA.id), contactId: String(contactA.id), agentId: String(a.members.agent.id) },
    b: { ws: String(b.workspace.id), conversationId: String(convB.id), contactId: String(contactB.id), agentId: String(b.members.agent.id) },
  };
  return { a, b, ids, convA, contactA };
}

/** What A's conversation looks like in the database (to prove refused commands changed nothing). */
const snapshot = async (conversationId: number) => {
  const c = await t.db.prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } });
  return { status: c.status, assigneeId: c.assigneeId, unreadCount: c.unreadCount, messages: await t.db.prisma.message.count({ where: { conversationId } }) };
};

describe('socket matrix: the table', () => {
  it('has an entry for every command the server registers, and none for a command that is gone', async () => {
    const { members } = await newTeam(t.db);
    const registered = await registeredCommands(await login(t.app, members.agent.email));
    expect(registered.length).toBeGreaterThan(5);
    expect(registered.filter((c) => !(c in commands)), 'commands without an entry in `commands`').toEqual([]);
    expect(Object.keys(commands).filter((c) => !registered.includes(c)), 'entries without a command').toEqual([]);
  });
});

describe('socket matrix: handshakes', () => {
  it('refuses a handshake without a cookie, with a forged one, or with a logged-out, replaced or expired session', async () => {
    const a = await newAgent(t.db);
    const loggedOut = await login(t.app, a.email);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: loggedOut } });
    const replaced = await login(t.app, a.email);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: replaced }, payload: { email: a.email, password: 'password123' } })).statusCode).toBe(200);
    const b = await newAgent(t.db);
    const expired = await login(t.app, b.email);
    await t.db.tx((tx) => tx.session.updateMany({ where: { agentId: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } }));
    const refused: Record<string, string | undefined> = { 'no cookie': undefined, forged: 'sb_session=forged.value', loggedOut, replaced, expired };
    for (const [who, cookie] of Object.entries(refused)) {
      await expect(open(cookie), who).rejects.toThrow(/unauthorized/);
    }
  });

  it("ends a live socket when its session is replaced by a new login, and lets the new one in", async () => {
    const { members } = await newTeam(t.db);
    const old = await login(t.app, members.agent.email);
    const s = await open(old);
    const ended = new Promise((r) => s.once('session:ended', r));
    const gone = new Promise((r) => s.once('disconnect', r));
    const relogin = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: old }, payload: { email: members.agent.email, password: 'password123' } });
    expect(await ended).toEqual({ reason: 'revoked' });
    await gone;
    await expect(open(old)).rejects.toThrow(/unauthorized/);
    const fresh = relogin.cookies.find((c) => c.name === 'sb_session')!;
    await open(`sb_session=${fresh.value}`);
  });
});

describe('socket matrix: commands and rooms across workspaces', () => {
  it("refuses every command of B's agent against A's ids, joins it to none of A's rooms, and lets none of A's traffic reach it", async () => {
    const { a, b, ids, convA, contactA } = await world();
    const stranger = await open(await login(t.app, b.members.agent.email));
    const strangerSeen = recorder(stranger);
    // A's own agent, as the control: it must see what the stranger must not.
    const insider = await open(await login(t.app, a.members.agent.email));
    const insiderSeen = recorder(insider);
    const before = await snapshot(convA.id);
    const ownRooms = roomsOf('/', stranger.id!);
    expect(ownRooms.filter((r) => !r.startsWith('session:'))).toEqual([`agent:${b.members.agent.id}`, `workspace:${b.workspace.id}`]);
    expect(ownRooms.filter((r) => r.startsWith('session:'))).toHaveLength(1);

    let attempts = 0;
    for (const [name, tries] of Object.entries(commands)) {
      for (const attempt of tries) {
        const ack = await emit(stranger, name, attempt.payload(ids));
        if (attempt.expect === 'ok') expect(ack.ok, `${name}: ${JSON.stringify(ack)}`).toBe(true);
        else {
          expect(ack, `${name} ${JSON.stringify(attempt.payload(ids))}`).toMatchObject({ ok: false, error: { code: attempt.expect, message: expect.any(String) } });
          expect(ack).not.toHaveProperty('data');
        }
        // Whatever it tried, its rooms are still those of its own memberships.
        expect(roomsOf('/', stranger.id!), `rooms after ${name}`).toEqual(ownRooms);
        attempts++;
      }
    }
    expect(attempts).toBe(Object.values(commands).flat().length);
    expect(await snapshot(convA.id)).toEqual(before);
    expect(await t.db.prisma.message.count({ where: { body: 'hijack' } })).toBe(0);

    // A's traffic: workspace broadcasts, a contact's presence, a conversation's typing.
    expect(await emit(insider, 'presence:view', { workspaceId: ids.a.ws, contactId: ids.a.contactId })).toMatchObject({ ok: true });
    expect(await emit(insider, 'conversation:open', { workspaceId: ids.a.ws, conversationId: ids.a.conversationId })).toMatchObject({ ok: true });
    const watcher = await open(await login(t.app, a.members.supervisor.email));
    expect(await emit(watcher, 'presence:view', { workspaceId: ids.a.ws, contactId: ids.a.contactId })).toMatchObject({ ok: true });
    expect(await emit(watcher, 'typing:set', { workspaceId: ids.a.ws, conversationId: ids.a.conversationId, typing: true })).toMatchObject({ ok: true });
    expect(await emit(watcher, 'message:send', { workspaceId: ids.a.ws, conversationId: ids.a.conversationId, body: 'for A only', idempotencyKey: key() })).toMatchObject({ ok: true });
    const lead = await login(t.app, a.members.lead.email);
    await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ids.a.ws}/contacts/${contactA.id}`, headers: { cookie: lead }, payload: { ops: [{ op: 'addTag', tag: 'vip' }] } });
    await insiderSeen.waitFor((e) => e.name === 'contact:updated');
    for (const name of ['presence:updated', 'typing:updated', 'message:created', 'conversation:upserted']) await insiderSeen.waitFor((e) => e.name === name);
    await settle();

    // The stranger heard only its own replay's end.
    expect(strangerSeen.events.map((e) => e.name)).toEqual(['sync:ready']);
    expect(strangerSeen.events[0]!.envelope).toMatchObject({ workspaceId: ids.b.ws });
  });

  it('cuts a removed member off at once: no broadcasts, presence, typing or replay of the workspace, and every command refused', async () => {
    const { a, ids } = await world();
    const leaver = await open(await login(t.app, a.members.agent.email));
    expect(await emit(leaver, 'conversation:open', { workspaceId: ids.a.ws, conversationId: ids.a.conversationId })).toMatchObject({ ok: true });
    expect(await emit(leaver, 'presence:view', { workspaceId: ids.a.ws, contactId: ids.a.contactId })).toMatchObject({ ok: true });
    const admin = await login(t.app, a.members.admin.email);
    // Something in the event log for a replay to leak.
    await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ids.a.ws}/contacts/${ids.a.contactId}`, headers: { cookie: admin }, payload: { ops: [{ op: 'addTag', tag: 'before-you-left' }] } });
    await settle();
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${ids.a.ws}/members/${a.members.agent.id}`, headers: { cookie: admin } });
    expect(removed.statusCode).toBe(200);
    await settle();
    const seen = recorder(leaver);
    expect(roomsOf('/', leaver.id!).filter((r) => !/^(agent|session):/.test(r)), 'rooms left after removal').toEqual([]);

    for (const [name, tries] of Object.entries(commands)) {
      for (const attempt of tries) {
        // The same attempts, now with A's ids standing for "a workspace it just left".
        const payload = attempt.payload({ a: ids.a, b: ids.a });
        const ack = await emit(leaver, name, payload);
        if (name === 'sync:hello' || name === 'conversation:close') expect(ack.ok, name).toBe(true);
        else expect(ack, `${name} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(not_found|validation)$/) } });
      }
    }

    const supervisor = await open(await login(t.app, a.members.supervisor.email));
    expect(await emit(supervisor, 'presence:view', { workspaceId: ids.a.ws, contactId: ids.a.contactId })).toMatchObject({ ok: true });
    expect(await emit(supervisor, 'typing:set', { workspaceId: ids.a.ws, conversationId: ids.a.conversationId, typing: true })).toMatchObject({ ok: true });
    expect(await emit(supervisor, 'message:send', { workspaceId: ids.a.ws, conversationId: ids.a.conversationId, body: 'after you left', idempotencyKey: key() })).toMatchObject({ ok: true });
    await settle();
    expect(seen.events.map((e) => `${e.name} ${JSON.stringify(e.envelope).slice(0, 120)}`)).toEqual([]);
  });
});

describe('socket matrix: the widget namespace', () => {
  let ipSeq = 0;
  const nextIp = () => `10.88.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;
  const visitorCookie = (res: LightMyRequestResponse) => `sb_visitor=${res.cookies.find((x) => x.name === 'sb_visitor')!.value}`;
  async function newVisitor(ws: number) {
    const res = await t.app.inject({ method: 'POST', url: `/api/widget/${ws}/session`, payload: {}, remoteAddress: nextIp() });
    expect(res.statusCode).toBe(201);
    return visitorCookie(res);
  }
  const say = async (ws: number, cookie: string, text: string) => {
    const res = await t.app.inject({ method: 'POST', url: `/api/widget/${ws}/messages`, headers: { cookie }, payload: { text, clientMessageId: key() }, remoteAddress: nextIp() });
    expect(res.statusCode).toBe(201);
    return res.json() as { conversationId: string };
  };
  async function openVisitor(cookie: string | undefined, ws: number | string) {
    const s: VisitorSocket = connect(`${url}/widget`, {
      path: '/socket.io',
      transports: ['websocket'],
      extraHeaders: cookie ? { cookie } : {},
      auth: { workspaceId: String(ws) },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(s);
    await connected(s as unknown as ClientSocket);
    return s;
  }

  it('refuses a visitor handshake without its own cookie for that workspace, or with an agent session', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const mine = await newVisitor(workspace.id);
    const agent = await login(t.app, members.admin.email);
    const refused: [string, string | undefined, number][] = [
      ['no cookie', undefined, workspace.id],
      ['a forged cookie', 'sb_visitor=forged.value', workspace.id],
      ["another workspace's visitor", await newVisitor(other.workspace.id), workspace.id],
      ['its cookie for another workspace', mine, other.workspace.id],
      ["an agent's session", agent, workspace.id],
    ];
    for (const [who, cookie, ws] of refused) await expect(openVisitor(cookie, ws), who).rejects.toThrow(/unauthorized/);
  });

  it("puts a visitor in its own conversation's room only, refuses every agent command, and lets no agent traffic through", async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = String(workspace.id);
    const me = await newVisitor(workspace.id);
    const neighbour = await newVisitor(workspace.id);
    const mine = await say(workspace.id, me, 'mine');
    const theirs = await say(workspace.id, neighbour, 'theirs');
    const visitor = await openVisitor(me, workspace.id);
    const heard: string[] = [];
    visitor.onAny((name: string, payload: unknown) => heard.push(`${name} ${JSON.stringify(payload)}`));
    const widgetSession = await t.db.prisma.widgetSession.findFirstOrThrow({ where: { workspaceId: workspace.id }, orderBy: { id: 'asc' } });
    expect(roomsOf('/widget', visitor.id!)).toEqual([`conversation:${mine.conversationId}`, `widget-visitor:${widgetSession.id}`].sort());

    // The one visitor command, with a foreign conversation id planted in the payload.
    expect(io().of('/widget').sockets.get(visitor.id!)!.eventNames().map(String).filter((n) => !reserved.has(n))).toEqual(['typing:set']);
    const send = (name: string, payload: object) =>
      (visitor.timeout(5000) as unknown as { emitWithAck(n: string, p: object): Promise<Ack<unknown>> }).emitWithAck(name, payload);
    const agent = await open(await login(t.app, members.agent.email));
    const agentSeen = recorder(agent);
    expect(await emit(agent, 'conversation:open', { workspaceId: ws, conversationId: theirs.conversationId })).toMatchObject({ ok: true });
    expect(await send('typing:set', { typing: true, conversationId: theirs.conversationId, workspaceId: ws })).toEqual({ ok: true, data: null });
    // Every agent command, aimed at the neighbour's conversation (typing:set is the visitor's own, above).
    const ids: World = {
      a: { ws, conversationId: theirs.conversationId, contactId: '1', agentId: String(members.agent.id) },
      b: { ws, conversationId: theirs.conversationId, contactId: '1', agentId: String(members.agent.id) },
    };
    for (const [name, tries] of Object.entries(commands).filter(([n]) => n !== 'typing:set')) {
      for (const attempt of tries) expect(await send(name, attempt.payload(ids)), name).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    expect(roomsOf('/widget', visitor.id!)).toEqual([`conversation:${mine.conversationId}`, `widget-visitor:${widgetSession.id}`].sort());

    // Agent traffic: the neighbour's chat, presence, typing, a contact edit, a workspace broadcast.
    const neighbourContact = (await t.db.prisma.conversation.findUniqueOrThrow({ where: { id: Number(theirs.conversationId) } })).contactId;
    expect(await emit(agent, 'presence:view', { workspaceId: ws, contactId: String(neighbourContact) })).toMatchObject({ ok: true });
    expect(await emit(agent, 'conversation:open', { workspaceId: ws, conversationId: theirs.conversationId })).toMatchObject({ ok: true });
    expect(await emit(agent, 'typing:set', { workspaceId: ws, conversationId: theirs.conversationId, typing: true })).toMatchObject({ ok: true });
    expect(await emit(agent, 'message:send', { workspaceId: ws, conversationId: theirs.conversationId, body: 'for the neighbour', idempotencyKey: key() })).toMatchObject({ ok: true });
    expect(await emit(agent, 'conversation:assign', { workspaceId: ws, conversationId: mine.conversationId, agentId: String(members.agent.id) })).toMatchObject({ ok: true });
    const lead = await login(t.app, members.lead.email);
    const myContact = (await t.db.prisma.conversation.findUniqueOrThrow({ where: { id: Number(mine.conversationId) } })).contactId;
    await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${myContact}`, headers: { cookie: lead }, payload: { ops: [{ op: 'addTag', tag: 'vip' }] } });
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts/${myContact}/notes`, headers: { cookie: lead }, payload: { body: 'internal: VIP, be nice' } });
    await settle();
    expect(heard).toEqual([]);
    // The visitor's typing went to its own conversation only, which this agent does not view.
    expect(agentSeen.events.filter((e) => e.name === 'typing:updated' && (e.envelope as unknown as { who: { kind: string } }).who.kind === 'contact')).toEqual([]);

    // The control: a reply in its own conversation does arrive, and only that.
    expect(await emit(agent, 'message:send', { workspaceId: ws, conversationId: mine.conversationId, body: 'for you', idempotencyKey: key() })).toMatchObject({ ok: true });
    await settle();
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatch(/^message:created .*"body":"for you"/);
    // Agents are named to visitors, never identified.
    expect(heard[0]).toContain('"agent":{"id":null');
  });
});
