import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newConversation, newField, newSequence, newTeam } from './factories.ts';
import { runJob } from './support/job-context.ts';
import type { IdSummary } from '@switchboard/shared';
import { manyContacts, setValue, summarised, tag } from './support/contacts.ts';
import { waitForJob } from './support/imports.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp({}, { jobs: { pollMs: 50 } });
});
afterAll(() => t.close());

const q = <T = Record<string, unknown>>(sql: string, ...params: (string | number)[]) => t.db.sql.all<T>(sql, params);
const tagsOf = async (contactId: number) => (await q<{ name: string }>('SELECT t.name FROM ContactTag ct JOIN Tag t ON t.id = ct.tagId WHERE ct.contactId = ? ORDER BY t.name', contactId)).map((r) => r.name);
const versionOf = async (contactId: number) => (await q<{ version: number }>('SELECT version FROM Contact WHERE id = ?', contactId))[0]?.version;
// `changes` parsed: PostgreSQL stores it as jsonb, which keeps no key order.
const auditOf = async (contactId: number) =>
  (await q<{ action: string; actorId: number; changes: string }>('SELECT action, actorId, changes FROM AuditEvent WHERE contactId = ? ORDER BY id', contactId)).map((e) => ({ ...e, changes: JSON.parse(e.changes) as unknown }));
const eventsAfter = (workspaceId: number, seq: number) => q<{ name: string; payload: string }>('SELECT name, payload FROM EventLog WHERE workspaceId = ? AND seq > ? ORDER BY seq', workspaceId, seq);
const lastSeq = async (workspaceId: number) => (await q<{ s: number }>('SELECT eventSeq AS s FROM Workspace WHERE id = ?', workspaceId))[0]!.s;

async function bulk(workspaceId: number, authorId: number, params: object, opts?: Parameters<typeof runJob>[2]) {
  return runJob(t, { workspaceId, kind: 'bulk', authorId, params }, opts);
}

describe('bulk job', () => {
  it('on "all matching" touches exactly the contacts the contacts list finds for the filter', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'select', options: ['Gold', 'Silver'] });
    const all: number[] = [];
    for (let i = 0; i < 9; i++) {
      const c = await newContact(t.db, { workspaceId: ws });
      all.push(c.id);
      await setValue(t.db, ws, c.id, 'plan', i % 3 === 0 ? 'Gold' : 'Silver');
    }
    const filter = { field: 'custom.plan', op: 'eq', value: 'gold' };
    const cookie = await login(t.app, members.lead.email);
    const list = await t.app.inject({ url: `/api/workspaces/${ws}/contacts?filter=${encodeURIComponent(JSON.stringify(filter))}`, headers: { cookie } });
    const matching = (list.json().items as { id: string }[]).map((c) => Number(c.id)).sort((a, b) => a - b);
    expect(matching).toHaveLength(3);

    const state = await bulk(ws, members.lead.id, { filter, action: { op: 'addTag', tag: 'renewal' } });
    const touched: number[] = [];
    for (const id of all) if ((await tagsOf(id)).includes('renewal')) touched.push(id);
    expect(touched).toEqual(matching);
    expect(state.counts).toMatchObject({ read: 3, updated: 3, skipped: 0 });
    for (const id of all) expect(await versionOf(id)).toBe(matching.includes(id) ? 2 : 1);
  });

  it('adds a tag, creating it when missing, with one audit entry per changed contact and none for the unchanged', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const a = await newContact(t.db, { workspaceId: ws });
    const b = await newContact(t.db, { workspaceId: ws });
    await tag(t.db, ws, b.id, 'Hot');
    const state = await bulk(ws, members.lead.id, { contactIds: [a.id, b.id].map(String), action: { op: 'addTag', tag: 'hot' } });
    expect(await tagsOf(a.id)).toEqual(['Hot']);
    expect(state.counts).toMatchObject({ read: 2, updated: 1, skipped: 1 });
    expect(await auditOf(a.id)).toEqual([{ action: 'contact.tag_added', actorId: members.lead.id, changes: { path: 'tags', from: null, to: 'Hot', jobId: String(state.id) } }]);
    expect(await auditOf(b.id)).toEqual([]);
    expect(await versionOf(b.id)).toBe(1);

    const fresh = await bulk(ws, members.lead.id, { contactIds: [String(a.id)], action: { op: 'addTag', tag: 'brand new' } });
    expect(fresh.counts.updated).toBe(1);
    expect((await tagsOf(a.id)).sort()).toEqual(['Hot', 'brand new']);
  });

  it('removes a tag', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const a = await newContact(t.db, { workspaceId: ws });
    const b = await newContact(t.db, { workspaceId: ws });
    await tag(t.db, ws, a.id, 'churn');
    await tag(t.db, ws, a.id, 'keep');
    const state = await bulk(ws, members.lead.id, { contactIds: [a.id, b.id].map(String), action: { op: 'removeTag', tag: 'CHURN' } });
    expect(await tagsOf(a.id)).toEqual(['keep']);
    expect(state.counts).toMatchObject({ updated: 1, skipped: 1 });
    expect((await auditOf(a.id)).map((e) => e.action)).toEqual(['contact.tag_removed']);
  });

  it('sets and clears a custom field, storing the value by its type', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    await newField(t.db, { workspaceId: ws, key: 'renewal', type: 'date' });
    const ids = [(await newContact(t.db, { workspaceId: ws })).id, (await newContact(t.db, { workspaceId: ws })).id];
    const sel = { contactIds: ids.map(String) };
    const set = await bulk(ws, members.lead.id, { ...sel, action: { op: 'setField', field: 'custom.renewal', value: '2026-07-01' } });
    expect(set.counts.updated).toBe(2);
    const stored = await q<{ time: number }>('SELECT time FROM FieldValue WHERE contactId IN (?, ?)', ...ids);
    expect(stored.map((r) => r.time)).toEqual([Date.UTC(2026, 6, 1), Date.UTC(2026, 6, 1)]);
    expect((await auditOf(ids[0]!))[0]!.changes).toMatchObject({ path: 'custom.renewal', from: null, to: '2026-07-01' });

    const again = await bulk(ws, members.lead.id, { ...sel, action: { op: 'setField', field: 'renewal', value: '2026-07-01' } });
    expect(again.counts).toMatchObject({ updated: 0, skipped: 2 });

    const cleared = await bulk(ws, members.lead.id, { ...sel, action: { op: 'clearField', field: 'renewal' } });
    expect(cleared.counts.updated).toBe(2);
    expect(await q('SELECT 1 FROM FieldValue WHERE contactId IN (?, ?)', ...ids)).toEqual([]);
    expect((await auditOf(ids[1]!)).map((e) => e.action)).toEqual(['contact.field_set', 'contact.field_cleared']);
    expect(await versionOf(ids[1]!)).toBe(3);
  });

  it('removes contacts from a sequence named by name or id', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const a = await newContact(t.db, { workspaceId: ws });
    const b = await newContact(t.db, { workspaceId: ws });
    const seq = await newSequence(t.db, ws, 'Onboarding', [a.id, b.id]);
    const other = await newSequence(t.db, ws, 'Promo', [a.id]);
    const byName = await bulk(ws, members.lead.id, { contactIds: [String(a.id)], action: { op: 'removeSequence', sequence: 'onboarding' } });
    expect(byName.counts.updated).toBe(1);
    const byId = await bulk(ws, members.lead.id, { contactIds: [a.id, b.id].map(String), action: { op: 'removeSequence', sequence: String(seq.id) } });
    expect(byId.counts).toMatchObject({ updated: 1, skipped: 1 });
    expect(await q<{ sequenceId: number }>('SELECT sequenceId FROM ContactSequence WHERE contactId IN (?, ?)', a.id, b.id)).toEqual([{ sequenceId: other.id }]);
    expect((await auditOf(b.id)).map((e) => e.action)).toEqual(['contact.sequence_removed']);
  });

  it('deletes with the erasure of a single contact: everything about them goes, one tombstone each', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const gone = await newContact(t.db, { workspaceId: ws });
    const kept = await newContact(t.db, { workspaceId: ws });
    await tag(t.db, ws, gone.id, 'spam');
    await newConversation(t.db, { workspaceId: ws, contactId: gone.id });
    const seq = await lastSeq(ws);
    const state = await bulk(ws, members.supervisor.id, { filter: { field: 'tags', op: 'hasAnyOf', value: ['spam'] }, action: { op: 'delete' } });
    expect(state.counts).toMatchObject({ read: 1, updated: 1 });
    expect(await q('SELECT 1 FROM Contact WHERE id = ?', gone.id)).toEqual([]);
    expect(await q('SELECT 1 FROM Conversation WHERE contactId = ?', gone.id)).toEqual([]);
    expect(await q('SELECT 1 FROM Contact WHERE id = ?', kept.id)).toHaveLength(1);
    expect(await auditOf(gone.id)).toEqual([{ action: 'contact.erased', actorId: members.supervisor.id, changes: { jobId: String(state.id) } }]);
    expect((await eventsAfter(ws, seq)).map((e) => [e.name, JSON.parse(e.payload)])).toEqual([['contact:deleted', { contactId: String(gone.id) }]]);
  });

  it('pushes each change of a small job like a side-panel edit, with its segment moves', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const c = await newContact(t.db, { workspaceId: ws });
    const segment = await t.db.tx((tx) => tx.segment.create({ data: { workspaceId: ws, name: 'VIP', filter: { field: 'tags', op: 'hasAnyOf', value: ['vip'] } } }));
    const seq = await lastSeq(ws);
    await bulk(ws, members.lead.id, { contactIds: [String(c.id)], action: { op: 'addTag', tag: 'vip' } });
    const events = (await eventsAfter(ws, seq)).map((e) => ({ name: e.name, data: JSON.parse(e.payload) }));
    expect(events.map((e) => e.name)).toEqual(['contact:updated', 'segment:membership']);
    expect(events[0]!.data).toMatchObject({ contact: { id: String(c.id), tags: ['vip'], version: 2, segmentIds: [String(segment.id)] }, changes: [{ path: 'tags', from: null, to: 'vip' }], by: { kind: 'agent', id: String(members.lead.id) } });
    expect(events[1]!.data).toEqual({ segmentId: String(segment.id), contactId: String(c.id), member: true });
  });

  it('summarises a large job: one contacts:changed per batch instead of an event per contact', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const ids = await manyContacts(t.db, ws, 1100);
    const seq = await lastSeq(ws);
    const state = await bulk(ws, members.lead.id, { filter: { field: 'channel', op: 'eq', value: 'messenger' }, action: { op: 'addTag', tag: 'wave' } });
    expect(state.counts).toMatchObject({ read: 1100, updated: 1100 });
    expect(state.total).toBe(1100);
    const events = await eventsAfter(ws, seq);
    expect(events.map((e) => e.name)).toEqual(['contacts:changed', 'contacts:changed', 'contacts:changed']);
    const pushed = events.flatMap((e) => summarised(JSON.parse(e.payload) as IdSummary));
    expect(pushed).toEqual(ids);
    // manyContacts made consecutive ids: each batch's summary is a range, not 500 ids.
    expect(events.map((e) => (JSON.parse(e.payload) as IdSummary).contactIds)).toEqual([[], [], []]);
    expect(JSON.parse(events[0]!.payload)).toMatchObject({ jobId: String(state.id), deleted: false });
    expect((await q<{ n: number }>("SELECT count(*) AS n FROM AuditEvent WHERE workspaceId = ? AND action = 'contact.tag_added'", ws))[0]!.n).toBe(1100);
  });

  it('works on the contacts that matched when it started, and resumes after its last committed batch', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const ids = await manyContacts(t.db, ws, 700);
    const params = { filter: { field: 'channel', op: 'eq', value: 'messenger' }, action: { op: 'addTag', tag: 'batch' } };
    // Stopped (cancel, shutdown, crash) after the snapshot and the first batch of 500.
    const first = await bulk(ws, members.lead.id, params, { abortAfterBatches: 2 });
    expect(first.counts).toMatchObject({ read: 500, updated: 500 });
    const late = (await manyContacts(t.db, ws, 1))[0]!;

    const resumed = await bulk(ws, members.lead.id, params, { resume: { id: first.id, checkpoint: first.checkpoint, counts: first.counts } });
    expect(resumed.counts).toMatchObject({ read: 700, updated: 700, skipped: 0 });
    expect((await tagsOf(late)), 'a contact that started matching mid-job is not touched').toEqual([]);
    const tagged = await q<{ contactId: number }>("SELECT ct.contactId FROM ContactTag ct JOIN Tag t ON t.id = ct.tagId WHERE t.workspaceId = ? AND t.name = 'batch' ORDER BY ct.contactId", ws);
    expect(tagged.map((r) => r.contactId)).toEqual(ids);
    expect((await q<{ n: number }>("SELECT count(*) AS n FROM AuditEvent WHERE workspaceId = ? AND action = 'contact.tag_added'", ws))[0]!.n).toBe(700);
  });

  it('skips contacts deleted after the snapshot and never touches another workspace', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const ws = workspace.id;
    const [a, b] = [await newContact(t.db, { workspaceId: ws }), await newContact(t.db, { workspaceId: ws })];
    const foreign = await newContact(t.db, { workspaceId: other.workspace.id });
    const params = { contactIds: [a.id, b.id, foreign.id].map(String), action: { op: 'addTag', tag: 'x' } };
    const snapshotOnly = await bulk(ws, members.lead.id, params, { abortAfterBatches: 1 });
    expect(snapshotOnly.total).toBe(2);
    await t.db.tx((tx) => tx.contact.delete({ where: { id: b.id } }));

    const resumed = await bulk(ws, members.lead.id, params, { resume: { id: snapshotOnly.id, checkpoint: snapshotOnly.checkpoint, counts: snapshotOnly.counts } });
    expect(resumed.counts).toMatchObject({ read: 2, updated: 1, skipped: 1 });
    expect(await tagsOf(a.id)).toEqual(['x']);
    expect(await tagsOf(foreign.id)).toEqual([]);
  });
});

describe('POST /api/workspaces/:ws/bulk', () => {
  const post = (ws: number, cookie: string | undefined, payload: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/bulk`, headers: cookie ? { cookie } : {}, payload: payload as object });

  it('agents and supervisors cannot run bulk actions, delete included; leads can; strangers get 404', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const ws = workspace.id;
    const c = await newContact(t.db, { workspaceId: ws });
    const sel = { contactIds: [String(c.id)] };
    expect((await post(ws, undefined, { ...sel, action: { op: 'delete' } })).statusCode).toBe(401);
    for (const role of ['agent', 'supervisor'] as const) {
      const cookie = await login(t.app, members[role].email);
      for (const action of [{ op: 'delete' }, { op: 'addTag', tag: 'x' }]) expect((await post(ws, cookie, { ...sel, action })).statusCode, `${role} ${action.op}`).toBe(403);
    }
    expect((await post(ws, await login(t.app, other.members.admin.email), { ...sel, action: { op: 'delete' } })).statusCode).toBe(404);
    expect(await q('SELECT 1 FROM Contact WHERE id = ?', c.id)).toHaveLength(1);

    const lead = await login(t.app, members.lead.email);
    const res = await post(ws, lead, { ...sel, action: { op: 'delete' } });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, lead, ws, res.json().jobId);
    expect(job).toMatchObject({ kind: 'bulk', status: 'completed', counts: { read: 1, updated: 1 }, title: 'Delete 1 selected contact' });
    expect(await q('SELECT 1 FROM Contact WHERE id = ?', c.id)).toEqual([]);
  });

  it('answers a bad body with 400 naming the field, and queues nothing', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const cookie = await login(t.app, members.lead.email);
    await newField(t.db, { workspaceId: ws, key: 'seats', type: 'number' });
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'select', options: ['Gold'] });
    const filter = { field: 'email', op: 'isSet' };
    const cases: [unknown, string][] = [
      [{ filter }, 'action'],
      [{ filter, action: { op: 'paint' } }, 'action.op'],
      [{ action: { op: 'delete' } }, 'filter'],
      [{ segmentId: '5', contactIds: ['1'], action: { op: 'delete' } }, 'contactIds'],
      [{ filter: { and: [filter, { field: 'tags', op: 'hasAnyOf', value: 'vip' }] }, action: { op: 'delete' } }, 'filter.and[1].value'],
      [{ filter, action: { op: 'addTag', tag: '  ' } }, 'action.tag'],
      [{ filter, action: { op: 'removeTag', tag: 'never-made' } }, 'action.tag'],
      [{ filter, action: { op: 'setField', field: 'custom.nope', value: 1 } }, 'action.field'],
      [{ filter, action: { op: 'setField', field: 'seats', value: 'many' } }, 'action.value'],
      [{ filter, action: { op: 'setField', field: 'custom.plan', value: 'Platinum' } }, 'action.value'],
      [{ filter, action: { op: 'clearField', field: 'nope' } }, 'action.field'],
      [{ filter, action: { op: 'removeSequence', sequence: 'Nope' } }, 'action.sequence'],
    ];
    for (const [body, path] of cases) {
      const res = await post(ws, cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation');
      expect(res.json().details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
    expect(await q("SELECT 1 FROM Job WHERE workspaceId = ? AND kind = 'bulk'", ws)).toEqual([]);
  });

  it('on "all matching" of a segment, through the queue, touches exactly the contacts the list route finds', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const cookie = await login(t.app, members.lead.email);
    const all: number[] = [];
    for (let i = 0; i < 8; i++) all.push((await newContact(t.db, { workspaceId: ws, email: i % 2 ? `p${i}@example.test` : undefined })).id);
    const segment = await t.db.tx((tx) => tx.segment.create({ data: { workspaceId: ws, name: 'Reachable', filter: { field: 'email', op: 'isSet' } } }));
    const list = await t.app.inject({ url: `/api/workspaces/${ws}/contacts?segmentId=${segment.id}`, headers: { cookie } });
    const matching = (list.json().items as { id: string }[]).map((c) => Number(c.id)).sort((a, b) => a - b);
    expect(matching).toHaveLength(4);

    const res = await post(ws, cookie, { segmentId: String(segment.id), action: { op: 'addTag', tag: 'newsletter' } });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, cookie, ws, res.json().jobId);
    expect(job).toMatchObject({ status: 'completed', total: 4, counts: { read: 4, updated: 4 }, progress: 1, title: 'Add tag newsletter to segment “Reachable”' });
    const tagged: number[] = [];
    for (const id of all) if ((await tagsOf(id)).includes('newsletter')) tagged.push(id);
    expect(tagged).toEqual(matching);
    for (const id of matching) expect((await auditOf(id)).map((e) => e.action)).toEqual(['contact.tag_added']);
  });
});
