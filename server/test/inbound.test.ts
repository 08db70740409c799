import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { login, setupApp, type TestApp } from './helper.ts';
import { newApiKey, newTeam } from './factories.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';
import { receiveInbound } from '../src/features/inbound/service.ts';
import type { SqlValue } from '../src/db/sql.ts';
import { Prisma } from '../src/generated/prisma/client.js';

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

let seq = 0;
const uid = () => `u${++seq}-${Date.now()}`;
const body = (over: Record<string, unknown> = {}) => ({
  channel: 'messenger',
  channelUserId: uid(),
  profile: { firstName: 'Léa', lastName: 'Martin', email: 'Lea.Martin@Example.com', country: 'fr', language: 'FR', timezone: 'Europe/Paris' },
  message: { externalId: `m_${uid()}`, text: 'Hi, where is my order?' },
  ...over,
});
const post = (payload: unknown, key?: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/inbound/messages', headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers }, payload: payload as object });
/** The schema's names by their lower-case PostgreSQL twins, for `SELECT *` rows. */
const schemaName = new Map<string, string>();
for (const [key, names] of Object.entries(Prisma)) {
  if (key === 'ModelName' || key.endsWith('ScalarFieldEnum')) for (const n of Object.values(names as Record<string, string>)) schemaName.set(n.toLowerCase(), n);
}
const q = async <T>(sql: string, ...params: SqlValue[]) =>
  (await t.db.sql.all<Record<string, unknown>>(sql, params)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [schemaName.get(k) ?? k, v]))) as T[];
const count = async (table: string, where = '1 = 1', ...params: SqlValue[]) => Number(await t.db.sql.value(`SELECT count(*) FROM ${table} WHERE ${where}`, params));

describe('POST /api/inbound/messages: authentication', () => {
  it('401s without a key, with a malformed header, an unknown key or a revoked key — before looking at the body', async () => {
    const { workspace } = await newTeam(t.db);
    const revoked = await newApiKey(t.db, workspace.id, { revoked: true });
    const cases = [
      await post(body()),
      await post({ nonsense: true }),
      await post(body(), undefined, { authorization: 'Basic abc' }),
      await post(body(), 'sb_not_a_real_key'),
      await post(body(), revoked.key),
    ];
    for (const res of cases) {
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().code).toBe('unauthorized');
    }
    expect(await count('Contact', 'workspaceId = ?', workspace.id)).toBe(0);
  });
});

describe('POST /api/inbound/messages: validation', () => {
  it('400s naming the field', async () => {
    const { workspace } = await newTeam(t.db);
    const { key } = await newApiKey(t.db, workspace.id);
    const cases: [unknown, string][] = [
      [{ ...body(), channel: 'fax' }, 'channel'],
      [{ ...body(), channelUserId: '  ' }, 'channelUserId'],
      [body({ message: { externalId: 'x', text: '' } }), 'message.text'],
      [body({ message: { externalId: 'x', text: 'hi', sentAt: 'yesterday' } }), 'message.sentAt'],
      [body({ message: { text: 'hi' } }), 'message.externalId'],
      [body({ profile: { email: 'not-an-email' } }), 'profile.email'],
      [body({ profile: { timezone: 'Mars/Olympus' } }), 'profile.timezone'],
      [body({ profile: { phone: '12' } }), 'profile.phone'],
    ];
    for (const [payload, path] of cases) {
      const res = await post(payload, key);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(400);
      expect(res.json().code).toBe('validation');
      expect(res.json().details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await count('Contact', 'workspaceId = ?', workspace.id)).toBe(0);
  });

  it('writes nothing at all when one profile value is bad, for a new or a known contact', async () => {
    const { workspace } = await newTeam(t.db);
    const { key } = await newApiKey(t.db, workspace.id);
    const events = () => count('EventLog', 'workspaceId = ?', workspace.id);
    const bad = body({ profile: { firstName: 'Ana', gender: 'robot', country: 'ES' } });
    const res = await post(bad, key);
    expect(res.statusCode).toBe(400);
    expect(res.json().details).toEqual([{ path: 'profile.gender', message: expect.stringContaining('male') }]);
    expect([await count('Contact', 'workspaceId = ?', workspace.id), await count('Message', 'workspaceId = ?', workspace.id), await count('AuditEvent', 'workspaceId = ?', workspace.id), await events()]).toEqual([0, 0, 0, 0]);

    const good = body();
    expect((await post(good, key)).statusCode).toBe(202);
    const before = await q('SELECT * FROM Contact WHERE workspaceId = ?', workspace.id);
    const state = async () => [await count('Message', 'workspaceId = ?', workspace.id), await count('AuditEvent', 'workspaceId = ?', workspace.id), await events()];
    const was = await state();
    const again = await post({ ...good, profile: { firstName: 'Changed', email: 'broken@' }, message: { externalId: 'm_new', text: 'hello?' } }, key);
    expect(again.statusCode).toBe(400);
    expect(again.json().details[0].path).toBe('profile.email');
    expect(await q('SELECT * FROM Contact WHERE workspaceId = ?', workspace.id)).toEqual(before);
    expect(await state()).toEqual(was);
  });
});

describe('POST /api/inbound/messages: storing', () => {
  it('creates the contact with a normalised profile, opens a conversation and stores the message, audited as the key', async () => {
    const { workspace } = await newTeam(t.db);
    const { id: keyId, key } = await newApiKey(t.db, workspace.id);
    const sentAt = new Date(Date.now() - 60_000).toISOString();
    const payload = body({ message: { externalId: 'm_first', text: 'Hi,\n where is my order?', sentAt } });
    const res = await post(payload, key);
    expect(res.statusCode, res.body).toBe(202);
    const ids = res.json();
    expect(ids).toEqual({ contactId: expect.any(String), conversationId: expect.any(String), messageId: expect.any(String) });

    const [contact] = await q<Record<string, unknown>>('SELECT * FROM Contact WHERE id = ?', Number(ids.contactId));
    expect(contact).toMatchObject({
      workspaceId: workspace.id, channel: 'messenger', channelUserId: payload.channelUserId, firstName: 'Léa', lastName: 'Martin',
      nameKey: 'léa martin', email: 'lea.martin@example.com', country: 'FR', language: 'fr', timezone: 'Europe/Paris',
      lastInteractionAt: Date.parse(sentAt), version: 1,
    });
    expect(contact!.subscribedAt).toBeGreaterThan(Date.now() - 10_000);
    const [conv] = await q<Record<string, unknown>>('SELECT * FROM Conversation WHERE id = ?', Number(ids.conversationId));
    expect(conv).toMatchObject({ contactId: Number(ids.contactId), channel: 'messenger', status: 'open', unreadCount: 1, preview: 'Hi, where is my order?', lastMessageAt: Date.parse(sentAt) });
    const [msg] = await q<Record<string, unknown>>('SELECT * FROM Message WHERE id = ?', Number(ids.messageId));
    expect(msg).toMatchObject({ direction: 'in', authorKind: 'contact', externalId: 'm_first', body: 'Hi,\n where is my order?', createdAt: Date.parse(sentAt) });
    const audit = await q<{ action: string; actorKind: string; actorId: number }>('SELECT action, actorKind, actorId FROM AuditEvent WHERE contactId = ? ORDER BY id', Number(ids.contactId));
    expect(audit.map((a) => a.action)).toEqual(['contact.created', 'conversation.created']);
    expect(audit.every((a) => a.actorKind === 'api' && a.actorId === keyId)).toBe(true);
  });

  it('answers a repeated externalId with the same ids and stores nothing twice', async () => {
    const { workspace } = await newTeam(t.db);
    const { id: keyId, key } = await newApiKey(t.db, workspace.id);
    const payload = body();
    const first = await post(payload, key);
    const events = await count('EventLog', 'workspaceId = ?', workspace.id);
    const second = await post(payload, key);
    expect(second.statusCode).toBe(202);
    expect(second.json()).toEqual(first.json());
    expect(await count('Message', 'workspaceId = ?', workspace.id)).toBe(1);
    expect(await count('EventLog', 'workspaceId = ?', workspace.id)).toBe(events);
    expect(await q('SELECT unreadCount FROM Conversation WHERE workspaceId = ?', workspace.id)).toEqual([{ unreadCount: 1 }]);
    // The service says it was a duplicate (the widget relies on it).
    const direct = await receiveInbound({ db: t.db, gateway: t.app.gateway }, workspace.id, { kind: 'api', id: keyId }, { ...payload, channel: 'messenger' } as never);
    expect(direct).toEqual({ ...first.json(), duplicate: true });
  });

  it('reopens the contact’s resolved conversation instead of starting another', async () => {
    const { workspace } = await newTeam(t.db);
    const { key } = await newApiKey(t.db, workspace.id);
    const payload = body();
    const first = (await post(payload, key)).json();
    await t.db.tx(async (tx) => tx.conversation.update({ where: { id: Number(first.conversationId) }, data: { status: 'resolved', unreadCount: 0 } }));
    const next = (await post({ ...payload, message: { externalId: 'm_later', text: 'One more question' } }, key)).json();
    expect(next.contactId).toBe(first.contactId);
    expect(next.conversationId).toBe(first.conversationId);
    expect(await q('SELECT status, unreadCount, preview FROM Conversation WHERE contactId = ?', Number(first.contactId))).toEqual([
      { status: 'open', unreadCount: 1, preview: 'One more question' },
    ]);
  });

  it('never moves lastInteractionAt (or the conversation’s last message) backwards, and clamps a future sentAt', async () => {
    const { workspace, members } = await newTeam(t.db);
    const { key } = await newApiKey(t.db, workspace.id);
    const payload = body();
    const t2 = Date.now() - 60_000;
    const t1 = t2 - 3_600_000;
    const newer = (await post({ ...payload, message: { externalId: 'm2', text: 'newer', sentAt: new Date(t2).toISOString() } }, key)).json();
    await post({ ...payload, message: { externalId: 'm1', text: 'older, delivered late', sentAt: new Date(t1).toISOString() } }, key);
    const contactId = Number(newer.contactId);
    expect(await q('SELECT lastInteractionAt FROM Contact WHERE id = ?', contactId)).toEqual([{ lastInteractionAt: t2 }]);
    expect(await q('SELECT lastMessageAt, preview, unreadCount FROM Conversation WHERE contactId = ?', contactId)).toEqual([{ lastMessageAt: t2, preview: 'newer', unreadCount: 2 }]);
    const cookie = await login(t.app, members.agent.email);
    const page = (await t.app.inject({ url: `/api/workspaces/${workspace.id}/conversations/${newer.conversationId}/messages`, headers: { cookie } })).json();
    expect(page.items.map((m: { body: string }) => m.body)).toEqual(['older, delivered late', 'newer']);

    const before = Date.now();
    await post({ ...payload, message: { externalId: 'm3', text: 'from the future', sentAt: new Date(Date.now() + 86_400_000).toISOString() } }, key);
    const [c] = await q<{ lastInteractionAt: number }>('SELECT lastInteractionAt FROM Contact WHERE id = ?', contactId);
    expect(c!.lastInteractionAt).toBeGreaterThanOrEqual(before);
    expect(c!.lastInteractionAt).toBeLessThanOrEqual(Date.now());
  });

  it('updates a returning contact with the profile fields given, skips empty ones, and audits each change', async () => {
    const { workspace } = await newTeam(t.db);
    const { key } = await newApiKey(t.db, workspace.id);
    const payload = body();
    const { contactId } = (await post(payload, key)).json();
    await post({ ...payload, profile: { lastName: 'Dubois', email: '', phone: '06 12 34 56 78' }, message: { externalId: 'm_b', text: 'again' } }, key);
    expect(await q('SELECT lastName, email, phone, nameKey, version FROM Contact WHERE id = ?', Number(contactId))).toEqual([
      { lastName: 'Dubois', email: 'lea.martin@example.com', phone: '+33612345678', nameKey: 'léa dubois', version: 2 },
    ]);
    const changes = await q<{ changes: string }>("SELECT changes FROM AuditEvent WHERE contactId = ? AND action = 'contact.profile_set' ORDER BY id", Number(contactId));
    expect(changes.map((c) => JSON.parse(c.changes))).toEqual([
      { path: 'lastName', from: 'Martin', to: 'Dubois' },
      { path: 'phone', from: null, to: '+33612345678' },
    ]);
  });

  it('takes an SMS sender’s number as its phone', async () => {
    const { workspace } = await newTeam(t.db);
    const { key } = await newApiKey(t.db, workspace.id);
    const { contactId } = (await post({ channel: 'sms', channelUserId: '+14155550123', message: { externalId: 'sms1', text: 'STOP?' } }, key)).json();
    expect(await q('SELECT phone, firstName FROM Contact WHERE id = ?', Number(contactId))).toEqual([{ phone: '+14155550123', firstName: null }]);
  });

  it('refreshes the key’s lastUsedAt at most once a minute', async () => {
    const { workspace } = await newTeam(t.db);
    const { id, key } = await newApiKey(t.db, workspace.id);
    await post(body(), key);
    const [first] = await q<{ lastUsedAt: number }>('SELECT lastUsedAt FROM ApiKey WHERE id = ?', id);
    expect(first!.lastUsedAt).toBeGreaterThan(Date.now() - 10_000);
    await new Promise((r) => setTimeout(r, 5));
    await post(body(), key);
    expect(await q('SELECT lastUsedAt FROM ApiKey WHERE id = ?', id)).toEqual([first]);
  });
});

describe('POST /api/inbound/messages: broadcasts', () => {
  it('pushes contact:updated, segment:membership, conversation:upserted with segmentIds and message:created — to that workspace only', async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const ws = a.workspace.id;
    const { key } = await newApiKey(t.db, ws);
    const lead = await login(t.app, a.members.lead.email);
    const seg = (
      await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/segments`, headers: { cookie: lead }, payload: { name: 'French', filter: { field: 'country', op: 'eq', value: 'FR' } } })
    ).json();
    const open = async (email: string) => {
      const s = socketFor(url, await login(t.app, email));
      sockets.push(s);
      await connected(s);
      return s;
    };
    const seen = recorder(await open(a.members.agent.email));
    const strangerSeen = recorder(await open(b.members.agent.email));

    const res = await post(body({ message: { externalId: 'm_live', text: 'Bonjour !' } }), key);
    const ids = res.json();
    const message = await seen.waitFor((e) => e.name === 'message:created');
    const names = seen.events.filter((e) => e.envelope?.workspaceId === String(ws)).map((e) => e.name);
    expect(names).toEqual(['contact:updated', 'segment:membership', 'conversation:upserted', 'message:created']);
    const conv = seen.events.find((e) => e.name === 'conversation:upserted')!;
    expect(conv.envelope.data).toMatchObject({
      id: ids.conversationId, status: 'open', unreadCount: 1, preview: 'Bonjour !', segmentIds: [seg.id],
      contact: { id: ids.contactId, name: 'Léa Martin' }, assignee: null,
    });
    expect(message.envelope.data).toMatchObject({ id: ids.messageId, conversationId: ids.conversationId, direction: 'in', authorKind: 'contact', body: 'Bonjour !', agent: null });
    const updated = seen.events.find((e) => e.name === 'contact:updated')!;
    expect(updated.envelope.data).toMatchObject({ contact: { id: ids.contactId, segmentIds: [seg.id] }, by: { kind: 'api' } });
    // One transaction, one packet: the four events arrive together, in order.
    expect(seen.packets.filter((p) => p.includes('message:created'))).toEqual([['contact:updated', 'segment:membership', 'conversation:upserted', 'message:created']]);
    // Event ids are consecutive: one transaction, one batch.
    const eventIds = seen.events.filter((e) => e.envelope?.workspaceId === String(ws)).map((e) => e.envelope.eventId);
    expect(eventIds).toEqual(eventIds.map((_, i) => eventIds[0]! + i));

    await new Promise((r) => setTimeout(r, 100));
    expect(strangerSeen.events.filter((e) => e.envelope?.workspaceId === String(ws))).toEqual([]);
  });
});

describe('POST /api/inbound/messages: rate limit', () => {
  it('429s past INBOUND_RATE_LIMIT per key, leaving other keys alone', async () => {
    const limited = await setupApp({ INBOUND_RATE_LIMIT: '3' });
    try {
      const { workspace } = await newTeam(limited.db);
      const one = await newApiKey(limited.db, workspace.id);
      const two = await newApiKey(limited.db, workspace.id);
      const send = (key: string) => limited.app.inject({ method: 'POST', url: '/api/inbound/messages', headers: { authorization: `Bearer ${key}` }, payload: body() });
      const codes = [];
      for (let i = 0; i < 4; i++) codes.push((await send(one.key)).statusCode);
      expect(codes).toEqual([202, 202, 202, 429]);
      const res = await send(one.key);
      expect(res.json()).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
      expect((await send(two.key)).statusCode).toBe(202);
    } finally {
      await limited.close();
    }
  });
});
