import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CUSTOM_FIELDS } from '@switchboard/shared';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newTeam } from './factories.ts';

let t: TestApp;
let ws: number;
let team: Awaited<ReturnType<typeof newTeam>>;
const c: Record<string, string> = {};
beforeAll(async () => {
  t = await setupApp();
  team = await newTeam(t.db);
  ws = team.workspace.id;
  for (const role of ['agent', 'lead'] as const) c[role] = await login(t.app, team.members[role].email);
});
afterAll(() => t.close());

const call = (method: string, path: string, payload?: object, role = 'lead') =>
  t.app.inject({ method: method as 'GET', url: `/api/workspaces/${ws}${path}`, headers: { cookie: c[role]! }, payload });

describe('custom fields', () => {
  it('creates, refuses a duplicate key, keeps the key immutable and guards type changes', async () => {
    const created = await call('POST', '/fields', { key: 'tier', label: 'Tier', type: 'select', options: ['a', 'b'] });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await call('POST', '/fields', { key: 'tier', label: 'Again', type: 'text' })).statusCode).toBe(409);
    const badKey = await call('POST', '/fields', { key: 'Tier Name', label: 'x', type: 'text' });
    expect(badKey.json().details[0].path).toBe('key');
    const noOptions = await call('POST', '/fields', { key: 'size', label: 'Size', type: 'select' });
    expect(noOptions.json().details[0].path).toBe('options');
    const rename = await call('PATCH', `/fields/${id}`, { key: 'other' });
    expect(rename.statusCode).toBe(400);

    const contact = await newContact(t.db, { workspaceId: ws });
    await call('PATCH', `/contacts/${contact.id}`, { ops: [{ op: 'setField', key: 'tier', value: 'a' }] });
    const retype = await call('PATCH', `/fields/${id}`, { type: 'number' });
    expect(retype.statusCode).toBe(409);
    expect(retype.json().details.path).toBe('type');
    const dropUsed = await call('PATCH', `/fields/${id}`, { options: ['b', 'c'] });
    expect(dropUsed.statusCode).toBe(409);
    const relabel = await call('PATCH', `/fields/${id}`, { label: 'Customer tier', options: ['a', 'b', 'c'] });
    expect(relabel.json()).toMatchObject({ key: 'tier', label: 'Customer tier', options: ['a', 'b', 'c'] });
    expect((await call('GET', '/fields', undefined, 'agent')).json().map((f: { key: string }) => f.key)).toContain('tier');
  });

  it('refuses to delete a field a segment uses, then deletes it with its values', async () => {
    const f = (await call('POST', '/fields', { key: 'score', label: 'Score', type: 'number' })).json();
    const seg = (await call('POST', '/segments', { name: 'High score', filter: { field: 'custom.score', op: 'gt', value: 5 } })).json();
    expect((await call('DELETE', `/fields/${f.id}`)).statusCode).toBe(409);
    await call('DELETE', `/segments/${seg.id}`);
    expect((await call('DELETE', `/fields/${f.id}`)).statusCode).toBe(200);
  });
});

describe('custom field limit', () => {
  it('stops at MAX_CUSTOM_FIELDS, so every field still fits the contacts table layout', async () => {
    const other = await newTeam(t.db);
    const lead = await login(t.app, other.members.lead.email);
    const post = (key: string) =>
      t.app.inject({ method: 'POST', url: `/api/workspaces/${other.workspace.id}/fields`, headers: { cookie: lead }, payload: { key, label: key, type: 'text' } });
    for (let i = 0; i < MAX_CUSTOM_FIELDS; i++) expect((await post(`f${i}`)).statusCode).toBe(201);
    const refused = await post('one_more');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().details.path).toBe('key');
    const layout = await t.app.inject({ method: 'GET', url: `/api/workspaces/${other.workspace.id}/layout/contacts-table`, headers: { cookie: lead } });
    expect(layout.statusCode).toBe(200);
    expect(layout.json().fields.length).toBeGreaterThan(MAX_CUSTOM_FIELDS);
  });
});

describe('segments', () => {
  it('validates the filter with the path of the bad node, counts members and answers the membership check', async () => {
    const bad = await call('POST', '/segments', { name: 'Bad', filter: { or: [{ field: 'tags', op: 'eq', value: 'x' }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].path).toBe('filter.or[0].op');
    const a = await newContact(t.db, { workspaceId: ws, email: 'a@seg.test' });
    const b = await newContact(t.db, { workspaceId: ws });
    const seg = await call('POST', '/segments', { name: 'Has email', description: 'Gave an email', filter: { field: 'email', op: 'isSet' } });
    expect(seg.statusCode).toBe(201);
    const { id, count } = seg.json();
    expect(count.exact).toBe(true);
    expect(count.value).toBe(await t.db.prisma.contact.count({ where: { workspaceId: ws, email: { not: null } } }));
    const member = async (contactId: number) => (await call('GET', `/segments/${id}/members/${contactId}`, undefined, 'agent')).json().member;
    expect(await member(a.id)).toBe(true);
    expect(await member(b.id)).toBe(false);
    expect((await call('POST', '/segments', { name: 'Has email', filter: { field: 'email', op: 'isSet' } })).statusCode).toBe(409);
    const agentTry = await call('POST', '/segments', { name: 'Mine', filter: { field: 'email', op: 'isSet' } }, 'agent');
    expect(agentTry.statusCode).toBe(403);
    const listed = (await call('GET', '/segments', undefined, 'agent')).json();
    expect(listed.find((s: { id: string }) => s.id === id)).toMatchObject({ name: 'Has email', description: 'Gave an email' });
    const list = (await call('GET', `/contacts?segmentId=${id}&limit=200`, undefined, 'agent')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toContain(String(a.id));
    expect(list.items.map((x: { id: string }) => x.id)).not.toContain(String(b.id));
  });
});

describe('tags', () => {
  it('renames without case-insensitive clashes and deletes a tag from every contact', async () => {
    const contact = await newContact(t.db, { workspaceId: ws });
    await call('PATCH', `/contacts/${contact.id}`, { ops: [{ op: 'addTag', tag: 'newsletter' }, { op: 'addTag', tag: 'beta' }] }, 'agent');
    const tags = (await call('GET', '/tags', undefined, 'agent')).json();
    const newsletter = tags.find((x: { name: string }) => x.name === 'newsletter');
    expect(newsletter.contactCount).toBe(1);
    expect((await call('PATCH', `/tags/${newsletter.id}`, { name: 'BETA' })).statusCode).toBe(409);
    expect((await call('PATCH', `/tags/${newsletter.id}`, { name: 'News' })).json().name).toBe('News');
    expect((await call('DELETE', `/tags/${newsletter.id}`)).statusCode).toBe(200);
    const d = (await call('GET', `/contacts/${contact.id}`, undefined, 'agent')).json();
    expect(d.tags).toEqual(['beta']);
    expect(d.version).toBe(4);
  });
});

describe('layout', () => {
  const url = '/layout/contacts-table';
  it('resolves the agent override over the workspace default over the built-in one', async () => {
    const builtIn = (await call('GET', url, undefined, 'agent')).json();
    expect(builtIn.scope).toBe('default');
    expect(builtIn.fields.filter((f: { visible: boolean }) => f.visible).map((f: { key: string }) => f.key)).toContain('name');

    const wsFields = [{ key: 'email', visible: true }, { key: 'name', visible: true }];
    expect((await call('PUT', `${url}?scope=workspace`, { fields: wsFields }, 'agent')).statusCode).toBe(403);
    expect((await call('PUT', `${url}?scope=workspace`, { fields: wsFields })).statusCode).toBe(200);
    const shared = (await call('GET', url, undefined, 'agent')).json();
    expect(shared.scope).toBe('workspace');
    expect(shared.fields.slice(0, 2)).toEqual(wsFields);
    expect(shared.fields.length).toBe(builtIn.fields.length);

    const mine = [{ key: 'phone', visible: true }, { key: 'email', visible: false }];
    expect((await call('PUT', url, { fields: mine }, 'agent')).json().scope).toBe('agent');
    const resolved = (await call('GET', url, undefined, 'agent')).json();
    expect(resolved.fields.slice(0, 2)).toEqual(mine);
    // The lead still sees the workspace default; the agent's override is theirs alone.
    expect((await call('GET', url)).json().scope).toBe('workspace');

    const reset = (await call('DELETE', url, undefined, 'agent')).json();
    expect(reset.scope).toBe('workspace');
    expect(reset.fields.slice(0, 2)).toEqual(wsFields);
  });

  it('rejects unknown and duplicate keys by path', async () => {
    const unknown = await call('PUT', url, { fields: [{ key: 'name', visible: true }, { key: 'custom.nope', visible: true }] }, 'agent');
    expect(unknown.json().details[0].path).toBe('fields[1].key');
    const dup = await call('PUT', url, { fields: [{ key: 'name', visible: true }, { key: 'name', visible: false }] }, 'agent');
    expect(dup.json().details[0].path).toBe('fields[1].key');
    expect((await call('GET', '/layout/nowhere', undefined, 'agent')).statusCode).toBe(400);
  });
});
