import { appendFileSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupApp, type TestApp } from './helper.ts';
import { newContact, newField, newTeam } from './factories.ts';
import { runJob } from './support/job-context.ts';
import { manyContacts, setValue, tag } from './support/contacts.ts';
import { waitForJob } from './support/imports.ts';

let t: TestApp;
beforeAll(async () => {
  t = await setupApp({}, { jobs: { pollMs: 50 } });
});
afterAll(() => t.close());

const readCsv = (path: string) => {
  const text = readFileSync(path, 'utf8');
  expect(text.charCodeAt(0), 'starts with a UTF-8 BOM for spreadsheets').toBe(0xfeff);
  return parse(text.slice(1), { relax_column_count: false }) as string[][];
};

async function exportOf(workspaceId: number, authorId: number, params: object) {
  const state = await runJob(t, { workspaceId, kind: 'export', authorId, params });
  expect(state.files.resultFile).toBe(`${state.dir}/export.csv`);
  return { state, rows: readCsv(state.files.resultFile!) };
}

describe('export job', () => {
  it('escapes cells a spreadsheet would run as formulas, for all six leading characters', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const dangerous = ['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'];
    const ids: number[] = [];
    for (const firstName of dangerous) ids.push((await newContact(t.db, { workspaceId: ws, firstName, lastName: 'Plain' })).id);
    await newField(t.db, { workspaceId: ws, key: 'score', type: 'number' });
    await setValue(t.db, ws, ids[0]!, 'score', -5);

    const { rows } = await exportOf(ws, members.lead.id, { contactIds: ids.map(String), columns: ['id', 'firstName', 'lastName', 'custom.score'] });
    expect(rows[0]).toEqual(['id', 'firstName', 'lastName', 'custom.score']);
    const byId = new Map(rows.slice(1).map((r) => [Number(r[0]), r]));
    dangerous.forEach((value, i) => {
      expect(byId.get(ids[i]!)![1], JSON.stringify(value)).toBe(`'${value}`);
      expect(byId.get(ids[i]!)![2]).toBe('Plain');
    });
    // A number is not a formula: -5 stays a number a spreadsheet can add up.
    expect(byId.get(ids[0]!)![3]).toBe('-5');
  });

  it('exports exactly the contacts of a filter, as the contacts list finds them', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const vip: number[] = [];
    for (let i = 0; i < 6; i++) {
      const c = await newContact(t.db, { workspaceId: ws });
      if (i % 2 === 0) {
        await tag(t.db, ws, c.id, 'vip');
        vip.push(c.id);
      }
    }
    const filter = { field: 'tags', op: 'hasAnyOf', value: ['VIP'] };
    const cookie = await login(t.app, members.lead.email);
    const list = await t.app.inject({ url: `/api/workspaces/${ws}/contacts?filter=${encodeURIComponent(JSON.stringify(filter))}`, headers: { cookie } });
    const listed = (list.json().items as { id: string }[]).map((c) => Number(c.id)).sort((a, b) => a - b);
    expect(listed).toEqual(vip);

    const { rows, state } = await exportOf(ws, members.lead.id, { filter, columns: ['id', 'tags'] });
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(listed);
    expect(rows.slice(1).every((r) => r[1] === 'vip')).toBe(true);
    expect(state.counts.read).toBe(3);
    expect(state.total).toBe(3);
  });

  it('exports a segment, and a selection without another workspace’s contacts', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const ws = workspace.id;
    const withEmail = await newContact(t.db, { workspaceId: ws, email: 'a@example.test' });
    const without = await newContact(t.db, { workspaceId: ws });
    const foreign = await newContact(t.db, { workspaceId: other.workspace.id, email: 'b@example.test' });
    const segment = await t.db.tx((tx) => tx.segment.create({ data: { workspaceId: ws, name: 'Has email', filter: { field: 'email', op: 'isSet' } } }));

    const seg = await exportOf(ws, members.lead.id, { segmentId: String(segment.id), columns: ['id', 'email'] });
    expect(seg.rows.slice(1)).toEqual([[String(withEmail.id), 'a@example.test']]);

    const picked = await exportOf(ws, members.lead.id, { contactIds: [without.id, foreign.id, withEmail.id].map(String), columns: ['id'] });
    expect(picked.rows.slice(1).map((r) => Number(r[0]))).toEqual([withEmail.id, without.id].sort((a, b) => a - b));
  });

  it('writes the chosen columns: profile, tags joined, custom fields formatted by type', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    for (const [key, type] of [['plan', 'select'], ['renewal', 'date'], ['seen', 'datetime'], ['paid', 'boolean'], ['seats', 'number'], ['memo', 'text']] as const) {
      await newField(t.db, { workspaceId: ws, key, type, options: type === 'select' ? ['Gold', 'Silver'] : undefined });
    }
    const c = await newContact(t.db, { workspaceId: ws, firstName: 'Zoë', lastName: '山田', email: 'z@example.test' });
    await tag(t.db, ws, c.id, 'vip');
    await tag(t.db, ws, c.id, 'beta');
    await setValue(t.db, ws, c.id, 'plan', 'gold');
    await setValue(t.db, ws, c.id, 'renewal', '2026-03-01');
    await setValue(t.db, ws, c.id, 'seen', '2026-03-01T10:30:00Z');
    await setValue(t.db, ws, c.id, 'paid', false);
    await setValue(t.db, ws, c.id, 'seats', 12.5);

    const columns = ['name', 'email', 'tags', 'custom.plan', 'custom.renewal', 'custom.seen', 'custom.paid', 'custom.seats', 'custom.memo'];
    const { rows } = await exportOf(ws, members.lead.id, { contactIds: [String(c.id)], columns });
    expect(rows).toEqual([columns, ['Zoë 山田', 'z@example.test', 'beta, vip', 'Gold', '2026-03-01', '2026-03-01T10:30:00.000Z', 'false', '12.5', '']]);
  });

  it('streams in batches with a checkpoint, and a resumed export neither repeats nor loses a row', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const ids = await manyContacts(t.db, ws, 1234);
    const params = { filter: { field: 'channel', op: 'eq', value: 'messenger' }, columns: ['id', 'name'] };

    // Cancelled (or killed) after the header and one batch of 500.
    const first = await runJob(t, { workspaceId: ws, kind: 'export', authorId: members.lead.id, params }, { abortAfterBatches: 2 });
    expect(first.counts.read).toBe(500);
    expect(first.files.resultFile, 'no download for an unfinished export').toBeUndefined();
    // A batch written to the file whose transaction never committed.
    appendFileSync(`${first.dir}/export.csv`, '999999,Not committed\n');

    const resumed = await runJob(
      t,
      { workspaceId: ws, kind: 'export', authorId: members.lead.id, params },
      { resume: { id: first.id, checkpoint: first.checkpoint, counts: first.counts } },
    );
    expect(resumed.counts.read).toBe(1234);
    expect(resumed.batches).toBe(2);
    const rows = readCsv(resumed.files.resultFile!);
    expect(rows[0]).toEqual(['id', 'name']);
    expect(rows.slice(1).map((r) => Number(r[0]))).toEqual(ids);
  });

  it('starts the file again when it is shorter than its checkpoint', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const ids = await manyContacts(t.db, ws, 600);
    const params = { contactIds: ids.map(String), columns: ['id'] };
    const first = await runJob(t, { workspaceId: ws, kind: 'export', authorId: members.lead.id, params }, { abortAfterBatches: 2 });
    const cp = first.checkpoint as { bytes: number };
    const { truncateSync } = await import('node:fs');
    truncateSync(`${first.dir}/export.csv`, cp.bytes - 10);

    const resumed = await runJob(t, { workspaceId: ws, kind: 'export', authorId: members.lead.id, params }, { resume: { id: first.id, checkpoint: first.checkpoint, counts: first.counts } });
    expect(resumed.counts.read).toBe(600);
    expect(readCsv(resumed.files.resultFile!).slice(1).map((r) => Number(r[0]))).toEqual(ids);
  });
});

describe('POST /api/workspaces/:ws/exports', () => {
  const post = (ws: number, cookie: string | undefined, payload: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/exports`, headers: cookie ? { cookie } : {}, payload: payload as object });

  it('needs a session, lead or higher, and membership of the workspace', async () => {
    const { workspace, members } = await newTeam(t.db);
    const other = await newTeam(t.db);
    const body = { filter: { field: 'email', op: 'isSet' } };
    expect((await post(workspace.id, undefined, body)).statusCode).toBe(401);
    for (const role of ['agent', 'supervisor'] as const) {
      expect((await post(workspace.id, await login(t.app, members[role].email), body)).statusCode, role).toBe(403);
    }
    expect((await post(workspace.id, await login(t.app, other.members.admin.email), body)).statusCode).toBe(404);
    for (const role of ['lead', 'admin'] as const) {
      expect((await post(workspace.id, await login(t.app, members[role].email), body)).statusCode, role).toBe(202);
    }
  });

  it('answers a bad body with 400 naming the field, and queues nothing', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const cookie = await login(t.app, members.lead.email);
    const filter = { field: 'email', op: 'isSet' };
    const cases: [unknown, string][] = [
      [{}, 'filter'],
      [{ columns: ['email'] }, 'filter'],
      [{ filter, segmentId: '1' }, 'segmentId'],
      [{ filter, contactIds: ['1'] }, 'contactIds'],
      [{ filter: { field: 'lastInteractionAt', op: 'withinDays', value: 'soon' } }, 'filter.value'],
      [{ filter: { field: 'custom.nope', op: 'eq', value: 'x' } }, 'filter.field'],
      [{ segmentId: '999999' }, 'segmentId'],
      [{ contactIds: [] }, 'contactIds'],
      [{ contactIds: ['abc'] }, 'contactIds[0]'],
      [{ filter, columns: ['email', 'shoeSize'] }, 'columns[1]'],
      [{ filter, columns: ['custom.nope'] }, 'columns[0]'],
      [{ filter, columns: ['email', 'email'] }, 'columns[1]'],
    ];
    for (const [body, path] of cases) {
      const res = await post(ws, cookie, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation');
      expect(res.json().details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
    expect(await t.db.sql.value("SELECT count(*) FROM Job WHERE workspaceId = ? AND kind = 'export'", [ws])).toBe(0);
  });

  it('runs through the queue: the caller’s visible columns by default, the file at /jobs/:id/download', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const cookie = await login(t.app, members.lead.email);
    const a = await newContact(t.db, { workspaceId: ws, firstName: '=cmd', lastName: 'X', email: 'a@example.test' });
    await newContact(t.db, { workspaceId: ws });
    await tag(t.db, ws, a.id, 'vip');
    // The lead hides most columns of the table; the export follows their layout.
    await t.app.inject({
      method: 'PUT',
      url: `/api/workspaces/${ws}/layout/contacts-table`,
      headers: { cookie },
      payload: { fields: [{ key: 'email', visible: true }, { key: 'name', visible: true }, { key: 'tags', visible: true }, { key: 'phone', visible: false }] },
    });

    const res = await post(ws, cookie, { filter: { field: 'email', op: 'isSet' } });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, cookie, ws, res.json().jobId);
    expect(job).toMatchObject({ kind: 'export', status: 'completed', counts: { read: 1 }, total: 1, hasDownload: true, title: 'Export contacts matching a filter to CSV' });

    const file = await t.app.inject({ url: `/api/workspaces/${ws}/jobs/${job.id}/download`, headers: { cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('text/csv');
    // Never rendered by the browser from our origin: a download, not sniffed as HTML.
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="/);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(parse(file.body.replace(/^\uFEFF/, ''))).toEqual([
      ['email', 'name', 'tags'],
      ['a@example.test', "'=cmd X", 'vip'],
    ]);
  });

  it('drops an erased contact from a finished export file, matched by email even behind formula escaping', async () => {
    const { workspace, members } = await newTeam(t.db);
    const ws = workspace.id;
    const lead = await login(t.app, members.lead.email);
    const supervisor = await login(t.app, members.supervisor.email);
    const gone = await newContact(t.db, { workspaceId: ws, firstName: 'Gone', email: 'gone@example.test' });
    await newContact(t.db, { workspaceId: ws, firstName: 'Stays', email: 'stays@example.test' });
    const res = await post(ws, lead, { filter: { field: 'email', op: 'isSet' }, columns: ['email', 'firstName'] });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, lead, ws, res.json().jobId);
    const download = async () => parse((await t.app.inject({ url: `/api/workspaces/${ws}/jobs/${job.id}/download`, headers: { cookie: lead } })).body.replace(/^\uFEFF/, '')) as string[][];
    expect((await download()).map((r) => r[1])).toEqual(['firstName', 'Gone', 'Stays']);

    const erased = await t.app.inject({ method: 'DELETE', url: `/api/workspaces/${ws}/contacts/${gone.id}`, headers: { cookie: supervisor } });
    expect(erased.statusCode).toBe(200);
    expect(await download()).toEqual([
      ['email', 'firstName'],
      ['stays@example.test', 'Stays'],
    ]);
  });
});
