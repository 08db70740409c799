import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DryRunResult, IdSummary, Job } from '@switchboard/shared';
import { login, setupApp, testDatabase, type TestApp } from './helper.ts';
import { newContact, newField, newTeam } from './factories.ts';
import { errorsCsv, importCsv, startImport, uploadCsv, waitForJob } from './support/imports.ts';
import { connected, recorder, socketFor } from './support/sockets.ts';
import { summarised } from './support/contacts.ts';

let t: TestApp;
beforeAll(async () => {
  // Three rows per batch: every file here spans several transactions and checkpoints.
  t = await setupApp({ IMPORT_BATCH_ROWS: '3', IMPORT_MAX_MB: '1' }, { jobs: { pollMs: 50, progressMs: 50 } });
});
afterAll(() => t.close());

const team = async () => {
  const { workspace, members } = await newTeam(t.db);
  return { ws: workspace.id, members, lead: await login(t.app, members.lead.email) };
};
const contactsOf = (ws: number) =>
  t.db.sql.all<{ id: number; firstName: string | null; lastName: string | null; email: string | null; phone: string | null; version: number }>(
    'SELECT id, firstName, lastName, email, phone, channel, channelUserId, version FROM Contact WHERE workspaceId = ? ORDER BY id',
    [ws],
  );
const byPhone = async (ws: number, phone: string) => (await contactsOf(ws)).find((c) => c.phone === phone);
const tagsOf = (contactId: number) =>
  t.db.sql.column<string>('SELECT t.name FROM ContactTag ct JOIN Tag t ON t.id = ct.tagId WHERE ct.contactId = ? ORDER BY t.name', [contactId]);
const fieldOf = (contactId: number, key: string) =>
  t.db.sql.get<{ text: string | null; number: number | null; time: number | null }>(
    'SELECT v.text, v.number, v.time FROM FieldValue v JOIN CustomField f ON f.id = v.fieldId WHERE v.contactId = ? AND f.key = ?',
    [contactId, key],
  );
const tagCount = () => t.db.sql.value<number>('SELECT count(*) FROM Tag');
/** FTS5 checks the search index against Contact; it throws when they disagree. PostgreSQL maintains its trigram indexes itself. */
const searchIndexIntact = () =>
  testDatabase === 'sqlite' ? t.db.tx(async () => void t.db.conn.prepare(`INSERT INTO ContactSearch(ContactSearch) VALUES('integrity-check')`).run()) : Promise.resolve();
const search = async (ws: number, cookie: string, q: string) =>
  ((await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/contacts?q=${encodeURIComponent(q)}`, headers: { cookie } })).json().items as { phone: string }[]).map((c) => c.phone);
const basic = { mapping: { 'First name': 'firstName', 'Last name': 'lastName', Phone: 'phone', Email: 'email', Tags: 'tags' } } as const;

describe('upload', () => {
  it('needs the lead role: agents and supervisors cannot import', async () => {
    const { ws, members, lead } = await team();
    for (const role of ['agent', 'supervisor'] as const) {
      const res = await uploadCsv(t, await login(t.app, members[role].email), ws, 'Phone\n+33612345678\n');
      expect(res.statusCode, role).toBe(403);
    }
    const res = await uploadCsv(t, lead, ws, 'Phone\n+33612345678\n');
    expect(res.statusCode).toBe(201);
  });

  it('answers the columns, a suggested mapping and the first rows, and writes no contact', async () => {
    const { ws, lead } = await team();
    await newField(t.db, { workspaceId: ws, key: 'plan', label: 'Plan', type: 'text' });
    const rows = Array.from({ length: 25 }, (_, i) => `Ann${i},Lee,+33 6 12 34 56 ${String(i).padStart(2, '0')},a${i}@x.io,vip,gold,x`);
    const res = await uploadCsv(t, lead, ws, ['Prénom,Surname,Mobile,E-mail,Labels,Plan,Notes', ...rows].join('\r\n'));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.columns).toEqual(['Prénom', 'Surname', 'Mobile', 'E-mail', 'Labels', 'Plan', 'Notes']);
    expect(body.suggestedMapping).toEqual({ Prénom: 'firstName', Surname: 'lastName', Mobile: 'phone', 'E-mail': 'email', Labels: 'tags', Plan: 'custom.plan', Notes: 'ignore' });
    expect(body.preview).toHaveLength(20);
    expect(body.preview[0]).toEqual(['Ann0', 'Lee', '+33 6 12 34 56 00', 'a0@x.io', 'vip', 'gold', 'x']);
    expect(await contactsOf(ws)).toEqual([]);
    const job = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/jobs/${body.jobId}`, headers: { cookie: lead } })).json() as Job;
    expect(job).toMatchObject({ kind: 'import', status: 'draft', title: expect.stringMatching(/^contacts\.csv \(\d+ KB\)$/) });
  });

  it('keeps a UTF-8 byte order mark out of the first column name, and emoji and non-Latin names intact', async () => {
    const { ws, lead } = await team();
    const csv = '\uFEFFFirst name,Last name,Phone\nJosé 😀,Ñúñez,+33 6 12 34 56 78\n李,小龙,+33 6 11 22 33 44\nΕλένη,Παπαδοπούλου,+30 691 234 5678\nДмитрий,Иванов,+7 912 345-67-89\n';
    const up = await uploadCsv(t, lead, ws, csv);
    expect(up.json().columns[0]).toBe('First name');
    const job = await importCsv(t, lead, ws, csv, { mapping: { 'First name': 'firstName', 'Last name': 'lastName', Phone: 'phone' } });
    expect(job).toMatchObject({ status: 'completed', counts: { read: 4, created: 4, rejected: 0 } });
    expect((await contactsOf(ws)).map((c) => [c.firstName, c.lastName])).toEqual([
      ['José 😀', 'Ñúñez'],
      ['李', '小龙'],
      ['Ελένη', 'Παπαδοπούλου'],
      ['Дмитрий', 'Иванов'],
    ]);
    // Imported contacts are in the search index (filled per batch by the import, not the trigger).
    expect(await search(ws, lead, 'nunez')).toEqual(['+33612345678']);
    expect(await search(ws, lead, 'Παπαδοπούλου')).toEqual(['+306912345678']);
    await searchIndexIntact();
  });

  it('refuses bytes that are not UTF-8, naming the line, and UTF-16 files', async () => {
    const { ws, lead } = await team();
    const latin1 = Buffer.from('First name,Phone\nAnn,+33612345678\nJos\xe9,+33612345679\n', 'latin1');
    const res = await uploadCsv(t, lead, ws, latin1);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'unprocessable', details: [{ path: 'file' }] });
    expect(res.json().message).toMatch(/Line 3 .*0xE9.*not valid UTF-8/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Phone\n+33612345678\n', 'utf16le')]);
    const res16 = await uploadCsv(t, lead, ws, utf16);
    expect(res16.statusCode).toBe(422);
    expect(res16.json().message).toMatch(/UTF-16/);
    expect(readdirSync(join(t.config.dataDir, 'jobs', 'uploads'))).toEqual([]);
  });

  it('refuses a file over IMPORT_MAX_MB, an empty file, duplicate column names and a body without a file part', async () => {
    const { ws, lead } = await team();
    const big = await uploadCsv(t, lead, ws, 'Phone\n' + '+33612345678\n'.repeat(90_000));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'payload_too_large', details: [{ path: 'file' }] });
    expect(big.json().message).toMatch(/1 MB \(IMPORT_MAX_MB\)/);
    const empty = await uploadCsv(t, lead, ws, '');
    expect(empty.statusCode).toBe(422);
    const dup = await uploadCsv(t, lead, ws, 'Phone,Name,Phone\n1,2,3\n');
    expect(dup.statusCode).toBe(422);
    expect(dup.json().message).toMatch(/Columns 1 and 3 are both named "Phone"/);
    const json = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/imports`, headers: { cookie: lead }, payload: { file: 'x' } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'validation', details: [{ path: 'file' }] });
    expect(readdirSync(join(t.config.dataDir, 'jobs', 'uploads'))).toEqual([]);
  });
});

describe('start', () => {
  it('names the bad column of a mapping, and 404s another workspace’s import', async () => {
    const { ws, lead } = await team();
    const other = await team();
    const jobId = (await uploadCsv(t, lead, ws, 'Name,Phone,Plan\nAnn,+33612345678,gold\n')).json().jobId;
    const bad = async (mapping: Record<string, string>, path: string, message: RegExp) => {
      const res = await startImport(t, lead, ws, jobId, { mapping });
      expect(res.statusCode, JSON.stringify(mapping)).toBe(400);
      expect(res.json().details).toEqual([{ path, message: expect.stringMatching(message) }]);
    };
    await bad({ Name: 'firstName', Mobile: 'phone' }, 'mapping.Mobile', /no column named "Mobile"/);
    await bad({ Name: 'firstName', Phone: 'phone', Plan: 'custom.plan' }, 'mapping.Plan', /no custom field "plan"/);
    await bad({ Name: 'firstName' }, 'mapping', /map one column to phone/);
    await bad({ Name: 'phone', Phone: 'phone' }, 'mapping.Phone', /phone is already mapped from column "Name"/);
    const wrong = await startImport(t, lead, ws, jobId, { mapping: { Phone: 'address' } as never });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().details[0].path).toBe('mapping.Phone');
    const foreign = await startImport(t, other.lead, other.ws, jobId, { mapping: { Phone: 'phone' } });
    expect(foreign.statusCode).toBe(404);
    expect(await contactsOf(ws)).toEqual([]);
  });

  it('dry run: the first 20 rows with their action and reasons, nothing written', async () => {
    const { ws, lead } = await team();
    await newContact(t.db, { workspaceId: ws, channel: 'sms', phone: '+33600000001', firstName: 'Existing' });
    const before = { contacts: (await contactsOf(ws)).length, tags: await tagCount() };
    const rows = [
      'Ann,06 00 00 00 01,,vip', // existing, skip
      'Bob,06 00 00 00 02,bob@x.io,newtag', // create
      'Bad,12,,', // reject: phone
      'Eve,06 00 00 00 03,not-mail,', // reject: email
      'Bob,06 00 00 00 02,,other', // same phone as line 3: merged
      ...Array.from({ length: 20 }, (_, i) => `P${i},+33 6 10 00 00 ${String(i).padStart(2, '0')},,`),
    ];
    const jobId = (await uploadCsv(t, lead, ws, ['First name,Phone,Email,Tags', ...rows].join('\n'))).json().jobId;
    const res = await startImport(t, lead, ws, jobId, { mapping: { 'First name': 'firstName', Phone: 'phone', Email: 'email', Tags: 'tags' }, dryRun: true });
    expect(res.statusCode).toBe(200);
    const result = res.json() as DryRunResult;
    expect(result.rows).toHaveLength(20);
    expect(result.rows.slice(0, 6).map((r) => [r.line, r.action])).toEqual([
      [2, 'skip'],
      [3, 'create'],
      [4, 'reject'],
      [5, 'reject'],
      [6, 'update'],
      [7, 'create'],
    ]);
    expect(result.rows[1]!.values).toEqual({ phone: '+33600000002', firstName: 'Bob', email: 'bob@x.io', tags: ['newtag'] });
    expect(result.rows[2]!.errors).toEqual([{ column: 'Phone', message: '"12" is not a valid phone number' }]);
    expect(result.rows[3]!.errors).toEqual([{ column: 'Email', message: '"not-mail" must be an email address' }]);
    expect({ contacts: (await contactsOf(ws)).length, tags: await tagCount() }).toEqual(before);
    const job = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/jobs/${jobId}`, headers: { cookie: lead } })).json();
    expect(job.status).toBe('draft');
  });

  it('starts once: 202 and a queued job, then 409', async () => {
    const { ws, lead } = await team();
    const jobId = (await uploadCsv(t, lead, ws, 'Phone\n+33612345678\n')).json().jobId;
    const res = await startImport(t, lead, ws, jobId, { mapping: { Phone: 'phone' } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ jobId });
    expect((await startImport(t, lead, ws, jobId, { mapping: { Phone: 'phone' } })).statusCode).toBe(409);
    expect((await waitForJob(t, lead, ws, jobId)).counts.created).toBe(1);
  });
});

describe('run', () => {
  const strategies = {
    skip: { existing: { firstName: 'Old', email: null, plan: 'silver', tags: [] as string[] }, counts: { created: 2, updated: 1, skipped: 1 } },
    update: { existing: { firstName: 'New', email: 'new@x.io', plan: 'gold', tags: ['a'] }, counts: { created: 2, updated: 2, skipped: 0 } },
    fillEmpty: { existing: { firstName: 'Old', email: 'new@x.io', plan: 'silver', tags: ['a'] }, counts: { created: 2, updated: 2, skipped: 0 } },
  } as const;
  for (const [onExisting, expected] of Object.entries(strategies)) {
    it(`merges duplicate phones inside the file and ${onExisting === 'skip' ? 'skips' : onExisting === 'update' ? 'updates' : 'fills the empty values of'} existing contacts`, async () => {
      const { ws, lead } = await team();
      await newField(t.db, { workspaceId: ws, key: 'plan', type: 'text' });
      const old = await newContact(t.db, { workspaceId: ws, channel: 'sms', phone: '+33600000001', firstName: 'Old' });
      await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${old.id}`, headers: { cookie: lead }, payload: { ops: [{ op: 'setField', key: 'plan', value: 'silver' }] } });
      const csv = ['First name,Phone,Email,Plan,Tags', 'New,06 00 00 00 01,new@x.io,gold,a', 'Ann,06 00 00 00 02,,,b', 'Joe,06 00 00 00 03,,,', ',+33 6 00 00 00 02,ann@x.io,,c|b'].join('\n');
      const job = await importCsv(t, lead, ws, csv, { mapping: { 'First name': 'firstName', Phone: 'phone', Email: 'email', Plan: 'custom.plan', Tags: 'tags' }, onExisting: onExisting as 'skip' });
      expect(job.status).toBe('completed');
      expect(job.counts).toEqual({ read: 4, rejected: 0, ...expected.counts });
      const e = (await byPhone(ws, '+33600000001'))!;
      expect({ firstName: e.firstName, email: e.email, plan: (await fieldOf(e.id, 'plan'))?.text, tags: await tagsOf(e.id) }).toEqual(expected.existing);
      // Two rows for +33600000002: one contact, values of both, tags of both.
      const ann = (await contactsOf(ws)).filter((c) => c.phone === '+33600000002');
      expect(ann).toHaveLength(1);
      expect({ firstName: ann[0]!.firstName, email: ann[0]!.email, tags: await tagsOf(ann[0]!.id) }).toEqual({ firstName: 'Ann', email: 'ann@x.io', tags: ['b', 'c'] });
      expect(await contactsOf(ws)).toHaveLength(3);
      // A row merged into a contact created earlier in the same batch re-indexes it correctly.
      expect(await search(ws, lead, 'ann@x.io')).toEqual(['+33600000002']);
      await searchIndexIntact();
    });
  }

  it('rejects bad phones and bad field values into errors.csv with reasons, and creates unknown tags', async () => {
    const { ws, lead } = await team();
    await newField(t.db, { workspaceId: ws, key: 'score', type: 'number' });
    await newField(t.db, { workspaceId: ws, key: 'since', type: 'date' });
    await newField(t.db, { workspaceId: ws, key: 'plan', type: 'select', options: ['gold', 'silver'] });
    await newField(t.db, { workspaceId: ws, key: 'optin', type: 'boolean' });
    const csv = [
      'Name,Phone,Email,Score,Since,Plan,Optin,Tags',
      'Ok,+33612000001,ok@x.io,12.5,2026-02-28,GOLD,yes,Brand New Tag;vip',
      'NoPhone,abc,,,,,,',
      'BadScore,+33612000002,,lots,,,,',
      'BadDate,+33612000003,,,2026-02-30,,,',
      'BadPlan,+33612000004,,,,bronze,,',
      'BadBool,+33612000005,not-mail,,,,maybe,',
      'Short,+33612000006',
    ].join('\n');
    const job = await importCsv(t, lead, ws, csv, {
      mapping: { Name: 'firstName', Phone: 'phone', Email: 'email', Score: 'custom.score', Since: 'custom.since', Plan: 'custom.plan', Optin: 'custom.optin', Tags: 'tags' },
    });
    expect(job).toMatchObject({ status: 'completed', counts: { read: 7, created: 1, rejected: 6 }, hasErrors: true });
    const ok = (await byPhone(ws, '+33612000001'))!;
    expect([(await fieldOf(ok.id, 'score'))?.number, (await fieldOf(ok.id, 'plan'))?.text, (await fieldOf(ok.id, 'optin'))?.number, (await fieldOf(ok.id, 'since'))?.time]).toEqual([12.5, 'gold', 1, Date.UTC(2026, 1, 28)]);
    expect(await tagsOf(ok.id)).toEqual(['Brand New Tag', 'vip']);
    const tags = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/tags`, headers: { cookie: lead } })).json() as { name: string }[];
    expect(tags.map((x) => x.name).sort()).toEqual(['Brand New Tag', 'vip']);
    const lines = (await errorsCsv(t, lead, ws, job.id)).trim().split('\n');
    expect(lines).toEqual([
      'Name,Phone,Email,Score,Since,Plan,Optin,Tags,error',
      'NoPhone,abc,,,,,,,"line 3: Phone: ""abc"" is not a valid phone number"',
      'BadScore,+33612000002,,lots,,,,,"line 4: Score: must be a number like 1234.5, got ""lots"""',
      'BadDate,+33612000003,,,2026-02-30,,,,line 5: Since: must be a date written YYYY-MM-DD',
      'BadPlan,+33612000004,,,,bronze,,,"line 6: Plan: must be one of: gold, silver"',
      'BadBool,+33612000005,not-mail,,,,maybe,,"line 7: Email: ""not-mail"" must be an email address; Optin: must be true or false (yes/no, 1/0), got ""maybe"""',
      'Short,+33612000006,,,,,,,line 8: (row): has 2 cells; the header has 8',
    ]);
  });

  it('fails a malformed file with the line of the broken row, keeping the rows committed before it', async () => {
    const { ws, lead } = await team();
    const csv = ['Name,Phone', 'A,+33612000011', 'B,+33612000012', 'C,+33612000013', 'D,+33612000014', 'E,+33612000015', '"F,+33612000016', 'G,+33612000017'].join('\n');
    const job = await importCsv(t, lead, ws, csv, { mapping: { Name: 'firstName', Phone: 'phone' } });
    expect(job.status).toBe('failed');
    expect(job.error).toBe('line 7: unterminated quote (a quoted cell is never closed)');
    expect((await contactsOf(ws)).map((c) => c.firstName)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(job.counts).toMatchObject({ read: 5, created: 5 });
  });

  it('creates nothing new when the same file is imported again with skip', async () => {
    const { ws, lead } = await team();
    const csv = ['First name,Last name,Phone,Email,Tags', ...Array.from({ length: 10 }, (_, i) => `N${i},L,+33 6 20 00 00 ${String(i).padStart(2, '0')},n${i}@x.io,t${i % 3}`), 'Bad,L,000,,'].join('\n');
    const first = await importCsv(t, lead, ws, csv, basic);
    expect(first.counts).toEqual({ read: 11, created: 10, updated: 0, skipped: 0, rejected: 1 });
    const snapshot = await contactsOf(ws);
    const again = await importCsv(t, lead, ws, csv, basic);
    expect(again.counts).toEqual({ read: 11, created: 0, updated: 0, skipped: 10, rejected: 1 });
    expect(await contactsOf(ws)).toEqual(snapshot);
  });
});

describe('undo', () => {
  it('removes the contacts the import created, restores what it overwrote, and keeps contacts changed since', async () => {
    const { ws, lead, members } = await team();
    const existing = await newContact(t.db, { workspaceId: ws, channel: 'sms', phone: '+33600000101', firstName: 'Old' });
    const csv = ['First name,Last name,Phone,Email,Tags', 'New,,+33600000101,new@x.io,imported', 'C1,,+33600000102,,', 'C2,,+33600000103,,'].join('\n');
    const job = await importCsv(t, lead, ws, csv, { ...basic, onExisting: 'update' });
    expect(job).toMatchObject({ status: 'completed', undoable: true, counts: { created: 2, updated: 1 } });
    const c2 = (await byPhone(ws, '+33600000103'))!;
    const agent = await login(t.app, members.agent.email);
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/workspaces/${ws}/contacts/${c2.id}`, headers: { cookie: agent }, payload: { ops: [{ op: 'setProfile', field: 'lastName', value: 'Edited' }] } });
    expect(patched.statusCode).toBe(200);

    expect((await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/imports/${job.id}/undo`, headers: { cookie: agent } })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/imports/${job.id}/undo`, headers: { cookie: lead } });
    expect(res.statusCode).toBe(202);
    const undo = await waitForJob(t, lead, ws, res.json().jobId);
    expect(undo).toMatchObject({ kind: 'undo', status: 'completed', relatedJobId: job.id, keptContactIds: [String(c2.id)], counts: { read: 3, updated: 2, skipped: 1 } });

    const left = await contactsOf(ws);
    expect(left.map((c) => c.phone)).toEqual(['+33600000101', '+33600000103']);
    const restored = left[0]!;
    expect({ firstName: restored.firstName, email: restored.email, tags: await tagsOf(existing.id) }).toEqual({ firstName: 'Old', email: null, tags: [] });
    expect(left[1]!.lastName).toBe('Edited');
    const after = (await t.app.inject({ method: 'GET', url: `/api/workspaces/${ws}/jobs/${job.id}`, headers: { cookie: lead } })).json() as Job;
    expect(after).toMatchObject({ status: 'undone', undoable: false, relatedJobId: undo.id });
    const again = await t.app.inject({ method: 'POST', url: `/api/workspaces/${ws}/imports/${job.id}/undo`, headers: { cookie: lead } });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already been undone/);
    await searchIndexIntact();
  });
});

describe('progress', () => {
  it('pushes job:progress and a summary of the changed contacts to the workspace’s sockets', async () => {
    const { ws, members, lead } = await team();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const socket = socketFor(url, await login(t.app, members.agent.email));
    try {
      await connected(socket);
      const seen = recorder(socket);
      const csv = ['Phone', ...Array.from({ length: 8 }, (_, i) => `+33 6 30 00 00 0${i}`)].join('\n');
      const job = await importCsv(t, lead, ws, csv, { mapping: { Phone: 'phone' } });
      const done = await seen.waitFor((e) => e.name === 'job:progress' && (e.envelope.data as Job).id === job.id && (e.envelope.data as Job).status === 'completed');
      expect((done.envelope.data as Job).counts.created).toBe(8);
      const statuses = seen.events.filter((e) => e.name === 'job:progress' && (e.envelope.data as Job).id === job.id).map((e) => (e.envelope.data as Job).status);
      expect(statuses).toEqual(expect.arrayContaining(['draft', 'queued', 'running', 'completed']));
      const changed = seen.events.filter((e) => e.name === 'contacts:changed').flatMap((e) => summarised(e.envelope.data as IdSummary));
      expect(changed.sort((a, b) => a - b)).toEqual((await contactsOf(ws)).map((c) => c.id).sort((a, b) => a - b));
      // Summaries, not one event per contact: 8 rows in batches of 3 (a batch ends early when a
      // write of the main thread waits, so a loaded machine may see one more).
      const summaries = seen.events.filter((e) => e.name === 'contacts:changed').length;
      expect(summaries).toBeGreaterThanOrEqual(3);
      expect(summaries).toBeLessThan(8);
    } finally {
      socket.close();
    }
  });
});
