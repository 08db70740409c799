import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { login, setupApp, testDatabase, type TestApp } from './helper.ts';
import { newContact, newConversation, newField, newSequence, newTeam, newTopic } from './factories.ts';

let t: TestApp;
let ws: number;
let team: Awaited<ReturnType<typeof newTeam>>;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  t = await setupApp();
  team = await newTeam(t.db);
  ws = team.workspace.id;
  for (const role of ['agent', 'supervisor', 'lead'] as const) cookies[role] = await login(t.app, team.members[role].email);
  await newField(t.db, { workspaceId: ws, key: 'plan', type: 'select', options: ['silver', 'gold'] });
  await newField(t.db, { workspaceId: ws, key: 'ltv', type: 'number' });
  await newField(t.db, { workspaceId: ws, key: 'birthday', type: 'date' });
});
afterAll(() => t.close());

const patch = (id: number, ops: object[], role = 'agent') =>
  t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${id}`, headers: { cookie: cookies[role]! }, payload: { ops } });
/** The schema's names by their lower-case PostgreSQL twins (tables and columns). */
const schemaName = new Map<string, string>();
for (const [key, names] of Object.entries(Prisma)) {
  if (key === 'ModelName' || key.endsWith('ScalarFieldEnum')) for (const n of Object.values(names as Record<string, string>)) schemaName.set(n.toLowerCase(), n);
}
const named = (n: string) => (testDatabase === 'postgres' ? (schemaName.get(n) ?? n) : n);

/** Every table of the database (SQLite or PostgreSQL) with its rows, under the schema's names. */
async function everyTable(): Promise<{ table: string; rows: Record<string, unknown>[] }[]> {
  const tables =
    testDatabase === 'postgres'
      ? await t.db.sql.column<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")
      : await t.db.sql.column<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: { table: string; rows: Record<string, unknown>[] }[] = [];
  for (const table of tables) {
    const rows = await t.db.sql.all(`SELECT * FROM "${table}"`);
    out.push({ table: named(table), rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [named(k), v]))) });
  }
  return out;
}

const detail = async (id: number) => (await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${id}`, headers: { cookie: cookies.agent! } })).json();

describe('PATCH /contacts/:id', () => {
  it('applies tags, fields and profile ops together, bumps the version once and audits each change', async () => {
    const c = await newContact(t.db, { workspaceId: ws, firstName: 'Sam' });
    const res = await patch(c.id, [
      { op: 'addTag', tag: 'vip' },
      { op: 'setField', key: 'plan', value: 'Gold' },
      { op: 'setField', key: 'ltv', value: 120.5 },
      { op: 'setField', key: 'birthday', value: '1990-02-28' },
      { op: 'setProfile', field: 'lastName', value: 'Öztürk' },
    ]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      version: 2,
      name: 'Sam Öztürk',
      tags: ['vip'],
      fields: { plan: 'gold', ltv: 120.5, birthday: '1990-02-28' },
    });
    const audit = await t.db.prisma.auditEvent.findMany({ where: { contactId: c.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['contact.tag_added', 'contact.field_set', 'contact.field_set', 'contact.field_set', 'contact.profile_set']);
    expect(audit[1]!.changes).toEqual({ path: 'custom.plan', from: null, to: 'gold' });
    const row = await t.db.prisma.contact.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.nameKey).toBe('sam öztürk');
  });

  it('rolls the whole request back when one op is invalid, naming it', async () => {
    const c = await newContact(t.db, { workspaceId: ws });
    const res = await patch(c.id, [{ op: 'addTag', tag: 'should-not-stick' }, { op: 'setField', key: 'ltv', value: 'lots' }]);
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].path).toBe('ops[1].value');
    const d = await detail(c.id);
    expect(d.tags).toEqual([]);
    expect(d.version).toBe(1);
    const unknown = await patch(c.id, [{ op: 'setField', key: 'nope', value: 1 }]);
    expect(unknown.json().details[0].path).toBe('ops[0].key');
    const badOp = await patch(c.id, [{ op: 'renameContact' }]);
    expect(badOp.statusCode).toBe(400);
    expect(badOp.json().details[0].path).toMatch(/^ops\[0\]/);
  });

  it('answers 409 with the current value and who set it when `expected` is stale, changing nothing', async () => {
    const c = await newContact(t.db, { workspaceId: ws });
    expect((await patch(c.id, [{ op: 'setField', key: 'plan', value: 'gold', expected: null }], 'supervisor')).statusCode).toBe(200);
    const stale = await patch(c.id, [
      { op: 'addTag', tag: 'ignored' },
      { op: 'setField', key: 'plan', value: 'silver', expected: null },
    ]);
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      code: 'conflict',
      details: { path: 'custom.plan', current: 'gold', changedBy: { kind: 'agent', id: String(team.members.supervisor.id) } },
    });
    const d = await detail(c.id);
    expect(d.fields.plan).toBe('gold');
    expect(d.tags).toEqual([]);
    expect(d.version).toBe(2);
    // With the value they saw, the write goes through.
    const fresh = await patch(c.id, [{ op: 'setField', key: 'plan', value: 'silver', expected: 'gold' }]);
    expect(fresh.statusCode).toBe(200);
    expect(fresh.json().fields.plan).toBe('silver');
    const profile = await patch(c.id, [{ op: 'setProfile', field: 'email', value: 'a@b.co', expected: 'someone@else.co' }]);
    expect(profile.statusCode).toBe(409);
    expect(profile.json().details).toMatchObject({ path: 'email', current: null });
  });

  it('treats tags case-insensitively and removes sequences and topics', async () => {
    const c = await newContact(t.db, { workspaceId: ws });
    const seq = await newSequence(t.db, ws, 'Welcome drip', [c.id]);
    const topic = await newTopic(t.db, ws, 'Price drop', [c.id]);
    await patch(c.id, [{ op: 'addTag', tag: 'Churn-Risk' }]);
    const again = await patch(c.id, [{ op: 'addTag', tag: 'churn-risk' }]);
    expect(again.json().tags).toEqual(['Churn-Risk']);
    expect(again.json().version).toBe(2);
    const res = await patch(c.id, [
      { op: 'removeTag', tag: 'CHURN-RISK' },
      { op: 'removeSequence', sequenceId: String(seq.id) },
      { op: 'removeOtnTopic', topicId: String(topic.id) },
    ]);
    expect(res.json()).toMatchObject({ tags: [], sequences: [], otnTopics: [], version: 3 });
  });
});

describe('notes', () => {
  it('lets agents edit only their own notes and supervisors any', async () => {
    const c = await newContact(t.db, { workspaceId: ws });
    const base = `/api/workspaces/${ws}/contacts/${c.id}/notes`;
    const created = await t.app.inject({ method: 'POST', url: base, headers: { cookie: cookies.lead! }, payload: { body: 'Prefers email' } });
    expect(created.statusCode).toBe(201);
    const note = created.json();
    expect(note.author.id).toBe(String(team.members.lead.id));
    const byAgent = await t.app.inject({ method: 'PATCH', url: `${base}/${note.id}`, headers: { cookie: cookies.agent! }, payload: { body: 'x' } });
    expect(byAgent.statusCode).toBe(403);
    const bySupervisor = await t.app.inject({ method: 'PATCH', url: `${base}/${note.id}`, headers: { cookie: cookies.supervisor! }, payload: { body: 'Prefers SMS' } });
    expect(bySupervisor.json().body).toBe('Prefers SMS');
    const empty = await t.app.inject({ method: 'POST', url: base, headers: { cookie: cookies.agent! }, payload: { body: '   ' } });
    expect(empty.json().details[0].path).toBe('body');
    expect((await detail(c.id)).notes.map((n: { body: string }) => n.body)).toEqual(['Prefers SMS']);
    const del = await t.app.inject({ method: 'DELETE', url: `${base}/${note.id}`, headers: { cookie: cookies.supervisor! } });
    expect(del.statusCode).toBe(200);
    const history = (await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${c.id}/history`, headers: { cookie: cookies.agent! } })).json();
    expect(history.map((h: { action: string }) => h.action)).toEqual(['note.deleted', 'note.edited', 'note.added']);
  });
});

describe('export and erasure', () => {
  it('exports one JSON bundle with profile, fields, tags, notes, sequences, topics, conversations and history', async () => {
    const c = await newContact(t.db, { workspaceId: ws, email: 'bundle@example.test' });
    await newSequence(t.db, ws, 'Onboarding', [c.id]);
    await patch(c.id, [{ op: 'addTag', tag: 'exported' }, { op: 'setField', key: 'ltv', value: 9 }]);
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts/${c.id}/notes`, headers: { cookie: cookies.agent! }, payload: { body: 'hello' } });
    await newConversation(t.db, { workspaceId: ws, contactId: c.id, texts: ['Where is my order?', 'On its way'] });
    const res = await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${c.id}/export`, headers: { cookie: cookies.agent! } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="contact-\d+\.json"/);
    const bundle = res.json();
    expect(bundle.contact).toMatchObject({ email: 'bundle@example.test', tags: ['exported'], fields: { ltv: 9 } });
    expect(bundle.contact.sequences.map((s: { name: string }) => s.name)).toEqual(['Onboarding']);
    expect(bundle.contact.notes.map((n: { body: string }) => n.body)).toEqual(['hello']);
    expect(bundle.conversations[0].messages.map((m: { body: string }) => m.body)).toEqual(['Where is my order?', 'On its way']);
    expect(bundle.history.map((h: { action: string }) => h.action)).toContain('contact.tag_added');
  });

  it('erases every row about the contact and leaves a tombstone without personal data', async () => {
    const c = await newContact(t.db, { workspaceId: ws, email: 'erase.me@example.test', phone: '+15555550123', firstName: 'Eraseme' });
    await newSequence(t.db, ws, 'Erasure seq', [c.id]);
    await newTopic(t.db, ws, 'Erasure topic', [c.id]);
    await patch(c.id, [{ op: 'addTag', tag: 'gone' }, { op: 'setField', key: 'ltv', value: 1 }, { op: 'setProfile', field: 'lastName', value: 'Lastname' }]);
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/contacts/${c.id}/notes`, headers: { cookie: cookies.agent! }, payload: { body: 'call erase.me@example.test' } });
    await newConversation(t.db, { workspaceId: ws, contactId: c.id, texts: ['my email is erase.me@example.test'] });

    const byAgent = await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${ws}/contacts/${c.id}`, headers: { cookie: cookies.agent! } });
    expect(byAgent.statusCode).toBe(403);
    const res = await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${ws}/contacts/${c.id}`, headers: { cookie: cookies.supervisor! } });
    expect(res.statusCode).toBe(200);

    // Scan every table: no row may reference the contact id or hold its email, phone or name.
    const leftovers: string[] = [];
    for (const { table, rows } of await everyTable()) {
      for (const row of rows) {
        for (const [column, v] of Object.entries(row)) {
          if (typeof v === 'string' && /erase\.me@example\.test|\+15555550123|Eraseme/i.test(v)) leftovers.push(`${table}.${column}`);
          // Tombstones may keep the bare id: the audit entry, and past broadcasts rewritten to contact:deleted.
          const tombstone = (table === 'AuditEvent' && row.action === 'contact.erased') || (table === 'EventLog' && row.name === 'contact:deleted');
          if (column === 'contactId' && v === c.id && !tombstone) leftovers.push(`${table}.contactId`);
        }
        if (table === 'Contact' && row.id === c.id) leftovers.push('Contact');
      }
    }
    expect(leftovers).toEqual([]);
    const events = await t.db.sql.all<{ name: string; payload: string }>('SELECT name, payload FROM EventLog WHERE contactId = ?', [c.id]);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e).toEqual({ name: 'contact:deleted', payload: JSON.stringify({ contactId: String(c.id) }) });
    const tombstone = await t.db.prisma.auditEvent.findMany({ where: { contactId: c.id } });
    expect(tombstone).toEqual([expect.objectContaining({ action: 'contact.erased', changes: null, actorId: team.members.supervisor.id })]);
    expect((await t.app.inject({ url: `/api/workspaces/${ws}/contacts/${c.id}`, headers: { cookie: cookies.agent! } })).statusCode).toBe(404);
  });
});
