import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactList } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newField, newTeam } from './factories.ts';

let t: TestApp;
let ws: number;
let cookie: string;
let otherWs: number;
let otherCookie: string;
beforeAll(async () => {
  t = await setupApp();
  const team = await newTeam(t.db);
  ws = team.workspace.id;
  cookie = await login(t.app, team.members.agent.email);
  const other = await newTeam(t.db);
  otherWs = other.workspace.id;
  otherCookie = await login(t.app, other.members.agent.email);
});
afterAll(() => t.close());

const get = (url: string, c = cookie) => t.app.inject({ url, headers: { cookie: c } });
const list = (qs: Record<string, string> = {}) => get(`/api/workspaces/${ws}/contacts?${new URLSearchParams(qs)}`);

describe('GET /contacts', () => {
  it('pages the whole list by cursor, newest activity first, never repeating or skipping, with NULLs last', async () => {
    const base = Date.UTC(2026, 0, 1);
    const made: number[] = [];
    for (let i = 0; i < 23; i++) {
      const c = await newContact(t.db, { workspaceId: ws, firstName: `Page${i}` });
      // Three share a timestamp (ties broken by id), two never interacted.
      const at = i < 2 ? null : new Date(base + (i < 5 ? 0 : i) * 60_000);
      await t.db.tx((tx) => tx.contact.update({ where: { id: c.id }, data: { lastInteractionAt: at } }));
      made.push(c.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list({ limit: '5', ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(ContactList.parse(body)).toEqual(body);
      expect(body.count).toEqual({ value: 23, exact: true });
      seen.push(...body.items.map((c: { id: string }) => c.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    const rows = await t.db.prisma.contact.findMany({ where: { workspaceId: ws } });
    const expected = [...rows]
      .sort((a, b) => {
        const av = a.lastInteractionAt?.getTime() ?? null;
        const bv = b.lastInteractionAt?.getTime() ?? null;
        if (av === null && bv === null) return b.id - a.id;
        if (av === null) return 1;
        if (bv === null) return -1;
        return bv - av || b.id - a.id;
      })
      .map((r) => String(r.id));
    expect(seen).toEqual(expected);
  });

  it('sorts by name case-insensitively across pages, nameless contacts last', async () => {
    for (const [first, last] of [['zoe', 'Adams'], ['Émile', null], [null, null], ['ANNA', 'b'], [null, null]] as const) {
      const c = await newContact(t.db, { workspaceId: ws });
      await t.db.tx((tx) =>
        tx.contact.update({ where: { id: c.id }, data: { firstName: first, lastName: last, nameKey: [first, last].filter(Boolean).join(' ').toLowerCase() } }),
      );
    }
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const qs: Record<string, string> = { sort: 'name:asc', limit: '4' };
      if (cursor) qs.cursor = cursor;
      const body: { items: { name: string }[]; nextCursor: string | null } = (await list(qs)).json();
      names.push(...body.items.map((c) => c.name.toLowerCase()));
      cursor = body.nextCursor;
    } while (cursor);
    const named = names.filter(Boolean);
    expect(names.slice(0, named.length)).toEqual([...named].sort());
    expect(names.slice(named.length)).toEqual(['', '']);
  });

  it('rejects a bad limit, sort or cursor naming the parameter', async () => {
    for (const [qs, path] of [
      [{ limit: '201' }, 'limit'],
      [{ sort: 'email:asc' }, 'sort'],
      [{ cursor: 'garbage' }, 'cursor'],
      [{ filter: '{not json' }, 'filter'],
    ] as const) {
      const res = await list(qs);
      expect(res.statusCode, JSON.stringify(qs)).toBe(400);
      expect(res.json().details[0].path).toBe(path);
    }
  });

  it('names the first bad node of a filter tree', async () => {
    const filter = { and: [{ field: 'email', op: 'isSet' }, { field: 'lastInteractionAt', op: 'withinDays', value: 'soon' }] };
    const res = await list({ filter: JSON.stringify(filter) });
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('and[1].value');
    const unknown = await list({ filter: JSON.stringify({ field: 'custom.nope', op: 'eq', value: 'x' }) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/custom\.nope/);
  });

  it('filters by tags and custom fields through the real route', async () => {
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'select', options: ['free', 'gold'] });
    const a = await newContact(t.db, { workspaceId: ws, firstName: 'Goldie' });
    const b = await newContact(t.db, { workspaceId: ws, firstName: 'Freddie' });
    for (const [c, plan] of [[a, 'gold'], [b, 'free']] as const) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/workspaces/${ws}/contacts/${c.id}`,
        headers: { cookie },
        payload: { ops: [{ op: 'setField', key: 'plan', value: plan }, { op: 'addTag', tag: 'VIP' }] },
      });
      expect(res.statusCode).toBe(200);
    }
    const filter = { and: [{ field: 'tags', op: 'hasAnyOf', value: ['vip'] }, { field: 'custom.plan', op: 'eq', value: 'GOLD' }] };
    const res = await list({ filter: JSON.stringify(filter) });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([String(a.id)]);
    expect(res.json().count).toEqual({ value: 1, exact: true });
    expect(res.json().items[0]).toMatchObject({ tags: ['VIP'], fields: { plan: 'gold' } });
    // The route skips the response schema for speed (routes.ts): the body must still fit it exactly.
    expect(ContactList.parse(res.json())).toEqual(res.json());
  });

  it("keeps workspaces apart: another workspace's contact and segment are 404", async () => {
    const mine = await newContact(t.db, { workspaceId: ws });
    expect((await get(`/api/workspaces/${otherWs}/contacts/${mine.id}`, otherCookie)).statusCode).toBe(404);
    const seg = await t.db.tx((tx) => tx.segment.create({ data: { workspaceId: ws, name: 'mine', filter: { field: 'email', op: 'isSet' } } }));
    expect((await get(`/api/workspaces/${otherWs}/contacts?segmentId=${seg.id}`, otherCookie)).statusCode).toBe(404);
    const theirs = (await get(`/api/workspaces/${otherWs}/contacts`, otherCookie)).json();
    expect(theirs.items).toEqual([]);
  });
});

describe('POST /contacts', () => {
  const create = (payload: object) => t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts`, headers: { cookie }, payload });

  it('creates an SMS contact with its phone normalised to E.164', async () => {
    const res = await create({ channel: 'sms', phone: '06 12 34 56 78', defaultCountry: 'FR', firstName: ' Amélie ', email: 'Amelie@Example.FR' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      channel: 'sms',
      phone: '+33612345678',
      channelUserId: '+33612345678',
      firstName: 'Amélie',
      name: 'Amélie',
      email: 'amelie@example.fr',
      version: 1,
      tags: [],
    });
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { contactId: Number(res.json().id) } });
    expect(audit?.action).toBe('contact.created');
  });

  it('answers 409 with the existing id for the same phone in the same channel, in any format', async () => {
    const first = await create({ channel: 'voice', phone: '+44 20 7946 0958' });
    expect(first.statusCode).toBe(201);
    const again = await create({ channel: 'voice', phone: '+442079460958' });
    expect(again.statusCode).toBe(409);
    expect(again.json().details).toEqual({ path: 'phone', existingId: first.json().id });
    // Another channel is another contact.
    expect((await create({ channel: 'sms', phone: '+442079460958' })).statusCode).toBe(201);
  });

  it('names every bad field and writes nothing', async () => {
    const before = await t.db.prisma.contact.count();
    const res = await create({ channel: 'sms', phone: '12', email: 'nope', timezone: 'Mars/Olympus', country: 'FRA' });
    expect(res.statusCode).toBe(400);
    const paths = res.json().details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['country', 'email', 'phone', 'timezone']);
    expect(await t.db.prisma.contact.count()).toBe(before);
    const messenger = await create({ channel: 'messenger', phone: '+33612345679' });
    expect(messenger.statusCode).toBe(400);
    expect(messenger.json().details[0].path).toBe('channel');
  });
});
