import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newTeam } from './factories.ts';
import { connected, recorder, socketFor, type ClientSocket } from './support/sockets.ts';
import { pruneEventLog, REPLAY_BATCH } from '../src/realtime/replay.ts';

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

const open = async (cookie: string | undefined) => {
  const s = socketFor(url, cookie);
  sockets.push(s);
  await connected(s);
  return s;
};
const patch = (ws: number, id: number, cookie: string, ops: object[]) =>
  t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${id}`, headers: { cookie }, payload: { ops } });

describe('socket authentication', () => {
  it('refuses a handshake without a valid session cookie', async () => {
    await expect(open(undefined)).rejects.toThrow(/unauthorized/);
    await expect(open('sb_session=forged.value')).rejects.toThrow(/unauthorized/);
  });

  it('disconnects the sockets of a session when it logs out', async () => {
    const { members } = await newTeam(t.db);
    const cookie = await login(t.app, members.agent.email);
    const s = await open(cookie);
    const gone = new Promise((r) => s.once('disconnect', r));
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    await gone;
    await expect(open(cookie)).rejects.toThrow(/unauthorized/);
  });
});

describe('broadcasts', () => {
  it("pushes a contact change with who made it and the segments it entered, to the workspace's agents only", async () => {
    const a = await newTeam(t.db);
    const b = await newTeam(t.db);
    const ws = a.workspace.id;
    const supervisor = await login(t.app, a.members.supervisor.email);
    const agent = await open(await login(t.app, a.members.agent.email));
    const stranger = await open(await login(t.app, b.members.admin.email));
    const seen = recorder(agent);
    const strangerSeen = recorder(stranger);
    const lead = await login(t.app, a.members.lead.email);
    const seg = (await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/segments`, headers: { cookie: lead }, payload: { name: 'VIP', filter: { field: 'tags', op: 'hasAnyOf', value: ['vip'] } } })).json();
    const contact = await newContact(t.db, { workspaceId: ws });

    expect((await patch(ws, contact.id, supervisor, [{ op: 'addTag', tag: 'vip' }])).statusCode).toBe(200);
    const updated = await seen.waitFor((e) => e.name === 'contact:updated');
    expect(updated.envelope).toMatchObject({
      workspaceId: String(ws),
      data: {
        contact: { id: String(contact.id), tags: ['vip'], segmentIds: [seg.id] },
        changes: [{ path: 'tags', from: null, to: 'vip' }],
        by: { kind: 'agent', id: String(a.members.supervisor.id), name: expect.any(String) },
      },
    });
    const entered = await seen.waitFor((e) => e.name === 'segment:membership');
    expect(entered.envelope.data).toEqual({ segmentId: seg.id, contactId: String(contact.id), member: true });
    expect(entered.envelope.eventId).toBe(updated.envelope.eventId + 1);

    await patch(ws, contact.id, supervisor, [{ op: 'removeTag', tag: 'vip' }]);
    const left = await seen.waitFor((e) => e.name === 'segment:membership' && (e.envelope.data as { member: boolean }).member === false);
    expect(left.envelope.data).toMatchObject({ segmentId: seg.id, member: false });

    // The stranger of workspace B heard none of it, and cannot watch A's contact.
    await new Promise((r) => setTimeout(r, 100));
    expect(strangerSeen.events.filter((e) => e.envelope?.workspaceId === String(ws))).toEqual([]);
    const ack = await stranger.emitWithAck('presence:view', { workspaceId: String(ws), contactId: String(contact.id) });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('events packets', () => {
  it("sends a commit's events to every agent as one `events` packet, in eventId order", async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    const watchers = await Promise.all([members.agent, members.supervisor].map(async (m) => recorder(await open(await login(t.app, m.email)))));
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/segments`, headers: { cookie: lead }, payload: { name: 'VIP', filter: { field: 'tags', op: 'hasAnyOf', value: ['vip'] } } });
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/segments`, headers: { cookie: lead }, payload: { name: 'Tagged', filter: { field: 'tags', op: 'isNotEmpty' } } });
    const contact = await newContact(t.db, { workspaceId: ws });

    expect((await patch(ws, contact.id, lead, [{ op: 'addTag', tag: 'vip' }])).statusCode).toBe(200);
    for (const seen of watchers) {
      await seen.waitFor(() => seen.events.length >= 3);
      await new Promise((r) => setTimeout(r, 50));
      // The edit moved the contact into both segments: three events, one packet.
      expect(seen.packets).toEqual([['contact:updated', 'segment:membership', 'segment:membership']]);
      const ids = seen.events.map((e) => e.envelope.eventId);
      expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2]);
    }
  });

  it('lets commits that finish in the same turn share one packet, in commit order, and nothing overtake them', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const seen = recorder(await open(await login(t.app, members.agent.email)));
    const contact = await newContact(t.db, { workspaceId: ws });
    const commit = async (segmentId: string) => {
      const outbox = t.app.gateway.outbox();
      await t.db.tx(async (_tx, sql) => outbox.add(sql, ws, 'segment:membership', { segmentId, contactId: String(contact.id), member: true }));
      return outbox;
    };
    const first = await commit('1');
    const second = await commit('2');
    // Both handed over in one turn (as when the server catches up on a burst), then a signal.
    t.app.gateway.publish(first);
    t.app.gateway.publish(second);
    const typing = { workspaceId: String(ws), conversationId: '1', who: { kind: 'agent', id: '1', name: 'A' }, typing: true };
    t.app.gateway.signal(`workspace:${ws}`, 'typing:updated', typing);

    await seen.waitFor((e) => e.name === 'typing:updated');
    expect(seen.packets).toEqual([['segment:membership', 'segment:membership'], ['typing:updated']]);
    const got = seen.events.filter((e) => e.name === 'segment:membership').map((e) => [e.envelope.eventId, (e.envelope.data as { segmentId: string }).segmentId]);
    expect(got).toEqual([
      [first.events[0]!.envelope.eventId, '1'],
      [second.events[0]!.envelope.eventId, '2'],
    ]);
  });
});

describe('replay', () => {
  it('sends a reconnecting client every event it missed, once, in order', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const cookie = await login(t.app, members.agent.email);
    const contact = await newContact(t.db, { workspaceId: ws });
    const first = await open(cookie);
    const r1 = recorder(first);
    await first.emitWithAck('sync:hello', { since: {} });
    const ready = await r1.waitFor((e) => e.name === 'sync:ready' && (e.envelope as unknown as { workspaceId: string }).workspaceId === String(ws));
    const since = (ready.envelope as unknown as { eventId: number }).eventId;
    first.close();

    // Offline: 30 changes happen.
    for (let i = 0; i < 30; i++) await patch(ws, contact.id, cookie, [{ op: 'setProfile', field: 'firstName', value: `Name${i}` }]);

    const second = await open(cookie);
    const r2 = recorder(second);
    const ack = await second.emitWithAck('sync:hello', { since: { [String(ws)]: since } });
    expect(ack).toEqual({ ok: true, data: { replayed: 30 } });
    await r2.waitFor((e) => e.name === 'sync:ready' && (e.envelope as unknown as { workspaceId: string }).workspaceId === String(ws));
    const replayed = r2.events.filter((e) => e.name === 'contact:updated');
    expect(replayed.map((e) => e.envelope.eventId)).toEqual(Array.from({ length: 30 }, (_, i) => since + 1 + i));
    // The replay comes as `events` packets too (30 fit in one), before sync:ready.
    expect(r2.packets.map((p) => p.length)).toEqual([30, ...r2.packets.slice(1).map(() => 1)]);
    expect(r2.packets[1]).toEqual(['sync:ready']);
    expect(replayed.map((e) => (e.envelope.data as { contact: { firstName: string } }).contact.firstName)).toEqual(Array.from({ length: 30 }, (_, i) => `Name${i}`));
  });

  it('a client offline for 10 s while 50 events/s flow gets every missed event once, in order', { timeout: 40_000 }, async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = String(workspace.id);
    const cookie = await login(t.app, members.supervisor.email);
    const contacts = await Promise.all(Array.from({ length: 5 }, () => newContact(t.db, { workspaceId: workspace.id })));
    const client = await open(cookie);
    const live = recorder(client);
    await client.emitWithAck('sync:hello', { since: {} });
    const ready = await live.waitFor((e) => e.name === 'sync:ready' && (e.envelope as unknown as { workspaceId: string }).workspaceId === ws);
    const since = (ready.envelope as unknown as { eventId: number }).eventId;
    client.close();

    // 500 changes at 50 per second, spread over several contacts: 10 s, or a little longer where
    // a change takes the server more than 20 ms (PostgreSQL on a busy machine), so the client
    // always misses the full 500 in order.
    const TOTAL = 500;
    const started = Date.now();
    let sent = 0;
    while (sent < TOTAL) {
      const due = Math.min(TOTAL, Math.floor(((Date.now() - started) / 1000) * 50));
      for (; sent < due; sent++) {
        const c = contacts[sent % contacts.length]!;
        const res = await patch(workspace.id, c.id, cookie, [{ op: 'setProfile', field: 'lastName', value: `v${sent}` }]);
        expect(res.statusCode).toBe(200);
      }
      await new Promise((r) => setTimeout(r, 5));
    }

    const back = await open(cookie);
    const r = recorder(back);
    await back.emitWithAck('sync:hello', { since: { [ws]: since } });
    await r.waitFor((e) => e.name === 'sync:ready' && (e.envelope as unknown as { workspaceId: string }).workspaceId === ws);
    const got = r.events.filter((e) => e.envelope?.workspaceId === ws && e.name === 'contact:updated');
    expect(sent).toBe(TOTAL);
    expect(got.map((e) => e.envelope.eventId)).toEqual(Array.from({ length: sent }, (_, i) => since + 1 + i));
    // In slices of REPLAY_BATCH events, not one packet per event.
    const batches = r.packets.filter((p) => p[0] === 'contact:updated');
    expect(batches.map((p) => p.length)).toEqual(Array.from({ length: Math.ceil(sent / REPLAY_BATCH) }, (_, i) => Math.min(REPLAY_BATCH, sent - i * REPLAY_BATCH)));
    expect(got.map((e) => (e.envelope.data as { contact: { lastName: string } }).contact.lastName)).toEqual(Array.from({ length: sent }, (_, i) => `v${i}`));
  });

  it('a client catching up while commits keep coming gets every event, replayed or live, in order within each packet', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = String(workspace.id);
    const cookie = await login(t.app, members.supervisor.email);
    const contact = await newContact(t.db, { workspaceId: workspace.id });
    const first = await open(cookie);
    const r1 = recorder(first);
    await first.emitWithAck('sync:hello', { since: {} });
    const since = ((await r1.waitFor((e) => e.name === 'sync:ready' && (e.envelope as unknown as { workspaceId: string }).workspaceId === ws)).envelope as unknown as { eventId: number }).eventId;
    first.close();
    for (let i = 0; i < 150; i++) await patch(workspace.id, contact.id, cookie, [{ op: 'setProfile', field: 'lastName', value: `before${i}` }]);

    // Back online: the hello races 20 more commits, whose events arrive live while the log is replayed.
    const back = await open(cookie);
    const r = recorder(back);
    const live = (async () => {
      for (let i = 0; i < 20; i++) await patch(workspace.id, contact.id, cookie, [{ op: 'setProfile', field: 'lastName', value: `after${i}` }]);
    })();
    await back.emitWithAck('sync:hello', { since: { [ws]: since } });
    await live;
    const last = since + 170;
    await r.waitFor((e) => e.name === 'contact:updated' && e.envelope.eventId === last);

    // What the console's sequencer gets: every id from since+1 to last at least once, each packet in order.
    const ids = r.events.filter((e) => e.name === 'contact:updated').map((e) => e.envelope.eventId);
    expect([...new Set(ids)].sort((a, b) => a - b)).toEqual(Array.from({ length: 170 }, (_, i) => since + 1 + i));
    let at = 0;
    for (const p of r.packets) {
      const packetIds = ids.slice(at, (at += p.filter((n) => n === 'contact:updated').length));
      expect(packetIds).toEqual(packetIds.map((_, i) => packetIds[0]! + i));
    }
  });

  it('tells a client to resync when what it missed is older than the log keeps', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const cookie = await login(t.app, members.agent.email);
    const contact = await newContact(t.db, { workspaceId: ws });
    for (let i = 0; i < 3; i++) await patch(ws, contact.id, cookie, [{ op: 'setProfile', field: 'lastName', value: `L${i}` }]);
    await pruneEventLog(t.db, Date.now() + 48 * 3600 * 1000);
    const s = await open(cookie);
    const r = recorder(s);
    await s.emitWithAck('sync:hello', { since: { [String(ws)]: 1 } });
    const resync = await r.waitFor((e) => e.name === 'sync:resync');
    expect(resync.envelope).toMatchObject({ workspaceId: String(ws), eventId: expect.any(Number) });
  });
});
