import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorBody, ValidationIssue, formatPath, type Job } from '@switchboard/shared';
import { validateFilter } from '@switchboard/shared/filter/index';
import { loadCatalogue } from '../src/features/catalogue/service.ts';
import { login, setupApp, type TestApp } from './helper.ts';
import { newApiKey, newContact, newField, newSequence, newTeam, newTopic } from './factories.ts';
import { filterArb } from './filter.arbitraries.ts';
import { customFields, planOptions } from './filter.fixture.ts';
import {
  brokenFilterArb,
  buildInbound,
  csvFileArb,
  importColumns,
  importCsv,
  inboundBodyArb,
  patchBodyArb,
  startBodyArb,
  type Path,
} from './fuzz.arbitraries.ts';
import { tag } from './support/contacts.ts';
import { uploadCsv, waitForJob } from './support/imports.ts';
import type { SqlValue } from '../src/db/sql.ts';

/**
 * Bad input through the real app: random and mutated filters, PATCH ops, inbound bodies, import
 * options and CSV files. Every answer is a success or a clean 4xx (`{ code, message, details }`,
 * validation issues naming a path), never a 500, and a rejected request leaves the database as
 * it was. Fixed seeds; FUZZ_RUNS scales every property (FUZZ_RUNS=10 for a ten-times soak).
 */
const SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));
const SEED = 20_250_615;

let t: TestApp;
let ws: number;
let lead: string;
let contactId: number;
let apiKey: string;
const ran: Record<string, number> = {};

beforeAll(async () => {
  t = await setupApp({ IMPORT_MAX_MB: '1', INBOUND_RATE_LIMIT: '1000000' }, { jobs: { pollMs: 20, progressMs: 50 } });
  const { workspace, members } = await newTeam(t.db);
  ws = workspace.id;
  lead = await login(t.app, members.lead.email);
  for (const [key, type] of Object.entries(customFields)) {
    await newField(t.db, { workspaceId: ws, key, type, ...(type === 'select' ? { options: planOptions } : {}) });
  }
  const c = await newContact(t.db, { workspaceId: ws, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' });
  contactId = c.id;
  for (let i = 0; i < 5; i++) await newContact(t.db, { workspaceId: ws });
  await tag(t.db, ws, contactId, 'vip');
  await newSequence(t.db, ws, 'Onboarding', [contactId]);
  await newTopic(t.db, ws, 'Price drop', [contactId]);
  apiKey = (await newApiKey(t.db, ws)).key;
});
afterAll(async () => {
  console.info(`fuzz cases run: ${Object.entries(ran).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  await t?.close();
});

// ---- what every answer must look like -------------------------------------------------------

/** A 4xx with the API's error body; a 400 lists its issues, each with a non-empty path. Returns the issues. */
function expectClean4xx(res: LightMyRequestResponse, what: string): ValidationIssue[] {
  const where = `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, where).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, where).toBeLessThan(500);
  const body = ApiErrorBody.parse(res.json());
  expect(body.message.length, where).toBeGreaterThan(0);
  if (body.code === 'validation') {
    const issues = ValidationIssue.array().min(1).parse(body.details);
    for (const i of issues) expect(i.path.length, where).toBeGreaterThan(0);
    return issues;
  }
  if (body.code === 'conflict') expect(typeof (body.details as { path?: unknown })?.path, where).toBe('string');
  return [];
}

const TABLES = ['Contact', 'FieldValue', 'ContactTag', 'Tag', 'Note', 'AuditEvent', 'CustomField', 'Segment', 'Conversation', 'Message',
  'ContactSequence', 'ContactOtnTopic', 'EventLog', 'Job', 'JobContactChange'];

/** Row count and a hash of every row of the tables a request could write (rows sorted by their text: no rowid on PostgreSQL). */
async function digest(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const rows = (await t.db.sql.all(`SELECT * FROM ${table}`)).map((r) => JSON.stringify(r)).sort();
    out[table] = `${rows.length}:${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  return out;
}

const json = (body: unknown) => (body === undefined ? '' : JSON.stringify(body));
const send = (method: 'POST' | 'PATCH' | 'GET', url: string, body?: unknown, headers: Record<string, string> = { cookie: lead }) =>
  t.app.inject({ method, url, headers: { ...headers, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) }, payload: method === 'GET' ? undefined : json(body) });
const listWith = (filterText: string) => send('GET', `/api/workspaces/${ws}/contacts?filter=${encodeURIComponent(filterText)}`);

/** The first issue lies at or under `at` (a rejection names the node that is wrong). */
function expectUnder(issue: ValidationIssue, at: string, what: string) {
  if (!at) return;
  const ok = issue.path === at || issue.path.startsWith(`${at}.`) || issue.path.startsWith(`${at}[`);
  expect(ok, `${what}: issue at ${issue.path}, expected under ${at}`).toBe(true);
}

// ---- 1. filters -----------------------------------------------------------------------------

describe('filter JSON', () => {
  let segmentId: string;
  let segmentNo = 0;
  beforeAll(async () => {
    const res = await send('POST', `/api/workspaces/${ws}/segments`, { name: 'Fuzz target', filter: { field: 'name', op: 'isSet' } });
    expect(res.statusCode, res.body).toBe(201);
    segmentId = res.json().id;
  });

  /** The list, segment create and segment update with one tree; `at` = where it is broken (null: valid). */
  async function tryTree(tree: unknown, at: Path | null, what: string) {
    const text = JSON.stringify(tree);
    const catalogue = (await loadCatalogue(t.db.sql, ws)).filter;
    const valid = validateFilter(tree, catalogue).ok;
    if (at) expect(valid, `${what}: the oracle accepted a broken tree ${text.slice(0, 200)}`).toBe(false);

    const list = await listWith(text);
    if (valid && text.length <= 20_000) expect(list.statusCode, `${what} list: ${list.body.slice(0, 300)}`).toBe(200);
    else {
      const [first] = expectClean4xx(list, `${what} list`);
      expect(list.statusCode).toBe(400);
      expectUnder(first!, text.length > 20_000 ? 'filter' : formatPath(at ?? []), `${what} list`);
    }

    const before = await digest();
    const created = await send('POST', `/api/workspaces/${ws}/segments`, { name: `Fuzz ${++segmentNo}`, filter: tree });
    const updated = await send('PATCH', `/api/workspaces/${ws}/segments/${segmentId}`, { filter: tree });
    if (valid) {
      expect(created.statusCode, `${what} create: ${created.body.slice(0, 300)}`).toBe(201);
      expect(updated.statusCode, `${what} update: ${updated.body.slice(0, 300)}`).toBe(200);
      expect(updated.json().filter).toEqual(JSON.parse(text));
    } else {
      for (const [res, how] of [[created, 'create'], [updated, 'update']] as const) {
        const [first] = expectClean4xx(res, `${what} ${how}`);
        expect(res.statusCode).toBe(400);
        expectUnder(first!, formatPath(['filter', ...(at ?? [])]), `${what} ${how}`);
      }
      expect(await digest(), `${what}: a rejected segment wrote to the database`).toEqual(before);
    }
  }

  it('valid trees: 200 from the list, 201/200 from segment create/update', async () => {
    await fc.assert(
      fc.asyncProperty(filterArb, async (tree) => {
        ran['valid filters'] = (ran['valid filters'] ?? 0) + 1;
        await tryTree(tree, null, 'valid');
      }),
      { seed: SEED, numRuns: runs(60) },
    );
  }, 120_000);

  it('valid trees with one broken node: 400 naming that node, nothing written', async () => {
    await fc.assert(
      fc.asyncProperty(brokenFilterArb, async ({ tree, at, kind }) => {
        ran['broken filters'] = (ran['broken filters'] ?? 0) + 1;
        await tryTree(tree, at, kind);
      }),
      { seed: SEED, numRuns: runs(120) },
    );
  }, 120_000);

  it('any JSON (and non-JSON text) as a filter: 200 when it is a valid tree, else a clean 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.string().map((s) => ({ text: s }))), async (input) => {
        ran['random filters'] = (ran['random filters'] ?? 0) + 1;
        if (input && typeof input === 'object' && 'text' in input && Object.keys(input).length === 1) {
          // Raw query text: JSON or not, the answer is a 200 or a 400.
          const res = await listWith(String((input as { text: string }).text));
          if (res.statusCode !== 200) expectClean4xx(res, 'text filter');
          return;
        }
        await tryTree(input, null, 'random');
      }),
      { seed: SEED, numRuns: runs(120) },
    );
  }, 120_000);
});

// ---- 2. PATCH contact ops -------------------------------------------------------------------

describe('PATCH contact ops', () => {
  it('random op lists: 200 or a clean 4xx, and a rejected request changes nothing', async () => {
    let accepted = 0;
    let rejected = 0;
    let conflicts = 0;
    await fc.assert(
      fc.asyncProperty(patchBodyArb, async (body) => {
        ran['PATCH bodies'] = (ran['PATCH bodies'] ?? 0) + 1;
        const before = await digest();
        const res = await send('PATCH', `/api/workspaces/${ws}/contacts/${contactId}`, body);
        const what = `PATCH ${json(body).slice(0, 300)}`;
        if (res.statusCode === 200) {
          accepted++;
          expect(res.json().id).toBe(String(contactId));
          return;
        }
        rejected++;
        const issues = expectClean4xx(res, what);
        expect([400, 409], what).toContain(res.statusCode);
        if (res.statusCode === 409) conflicts++;
        for (const i of issues) expect(i.path, what).toMatch(/^(ops(\[\d+\])?(\..+)?|\(root\)|\(body\))$/);
        expect(await digest(), `${what}: a rejected PATCH wrote to the database`).toEqual(before);
      }),
      { seed: SEED, numRuns: runs(250) },
    );
    console.info(`PATCH outcomes: ${accepted} accepted, ${conflicts} conflicts, ${rejected - conflicts} invalid`);
    // The generator reaches all three outcomes.
    expect(accepted).toBeGreaterThan(0);
    expect(conflicts).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(conflicts);
  }, 120_000);
});

// ---- 3. inbound -----------------------------------------------------------------------------

describe('inbound payloads', () => {
  const post = (body: unknown) => send('POST', '/api/inbound/messages', body, { authorization: `Bearer ${apiKey}` });

  it('random and mutated bodies: 202 or a clean 4xx; a rejected one writes nothing', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(inboundBodyArb, async (spec) => {
        ran['inbound bodies'] = (ran['inbound bodies'] ?? 0) + 1;
        const body = buildInbound(spec) as { channelUserId: string; message: { text: string } };
        const before = await digest();
        const res = await post(body);
        const what = `inbound ${json(body).slice(0, 300)}`;
        if (res.statusCode === 202) {
          accepted++;
          const { messageId, contactId: cid } = res.json();
          // Stored exactly as sent.
          const stored = await t.db.sql.value('SELECT body FROM Message WHERE id = ?', [Number(messageId)]);
          expect(stored, what).toBe(body.message.text);
          const cuid = await t.db.sql.value('SELECT channelUserId FROM Contact WHERE id = ?', [Number(cid)]);
          expect(cuid, what).toBe(body.channelUserId.trim());
          return;
        }
        expectClean4xx(res, what);
        expect(res.statusCode, what).toBe(400);
        expect(await digest(), `${what}: a rejected inbound message wrote to the database`).toEqual(before);
      }),
      { seed: SEED, numRuns: runs(200) },
    );
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);
});

// ---- 4. imports -----------------------------------------------------------------------------

describe('import options and CSV rows', () => {
  const start = (jobId: string, body: unknown) => send('POST', `/api/workspaces/${ws}/imports/${jobId}/start`, body);

  it('random start options: a started job (or dry run) or a clean 4xx that changes nothing', async () => {
    let draft: string | null = null;
    let started = 0;
    await fc.assert(
      fc.asyncProperty(startBodyArb, async (body) => {
        ran['import options'] = (ran['import options'] ?? 0) + 1;
        if (!draft) {
          const up = await uploadCsv(t, lead, ws, importCsv);
          expect(up.statusCode, up.body).toBe(201);
          expect(up.json().columns).toEqual(importColumns);
          draft = up.json().jobId as string;
        }
        const before = await digest();
        const res = await start(draft, body);
        const what = `start ${json(body).slice(0, 300)}`;
        if (res.statusCode === 202) {
          started++;
          const job = await waitForJob(t, lead, ws, draft);
          expect(job.status, `${what}: ${job.error}`).toBe('completed');
          draft = null;
          return;
        }
        if (res.statusCode === 200) {
          expect(res.json().rows.length, what).toBeGreaterThan(0);
        } else {
          const issues = expectClean4xx(res, what);
          expect([400, 409], what).toContain(res.statusCode);
          for (const i of issues) expect(i.path, what).toMatch(/^(mapping|channel|defaultCountry|onExisting|dryRun|createFields|\(root\)|\(body\))/);
        }
        // A refusal and a dry run write nothing.
        expect(await digest(), `${what}: wrote to the database`).toEqual(before);
      }),
      { seed: SEED, numRuns: runs(100) },
    );
    expect(started).toBeGreaterThan(0);
  }, 120_000);

  it('random CSV files: the upload is refused cleanly or the job settles, with a clear error when it fails', async () => {
    const outcomes: Record<string, number> = {};
    const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
    let files = 0;
    await fc.assert(
      fc.asyncProperty(csvFileArb, async (file) => {
        ran['CSV files'] = (ran['CSV files'] ?? 0) + 1;
        const up = await uploadCsv(t, lead, ws, file);
        const what = `csv ${JSON.stringify(file.toString('latin1').slice(0, 200))}`;
        if (up.statusCode !== 201) {
          const issues = expectClean4xx(up, what);
          expect(up.json().details, what).toEqual([expect.objectContaining({ path: 'file' })]);
          expect(issues[0]?.path ?? 'file', what).toBe('file');
          return void count(`upload ${up.statusCode}`);
        }
        const { jobId, columns } = up.json() as { jobId: string; columns: string[] };
        // Phone, then first name, then tags; the rest ignored.
        const targets = ['phone', 'firstName', 'tags'];
        const mapping = Object.fromEntries(columns.map((c, i) => [c, targets[i] ?? 'ignore']));
        const options = { mapping, channel: 'sms', defaultCountry: 'FR', onExisting: 'update' };
        // The dry run reads the rows with the run's own code; every fourth file then runs for real (a worker each).
        const dry = await start(jobId, { ...options, dryRun: true });
        if (dry.statusCode !== 200) {
          expectClean4xx(dry, `${what} dry run`);
          return void count(`dry run ${dry.statusCode}`);
        }
        for (const row of dry.json().rows as { action: string; errors: { column: string; message: string }[] }[]) {
          if (row.action === 'reject') expect(row.errors.length, what).toBeGreaterThan(0);
          for (const e of row.errors) expect(e.message, what).toMatch(/\S/);
        }
        count('dry run 200');
        if (++files % 4 !== 0) return;
        const res = await start(jobId, options);
        if (res.statusCode !== 202) {
          expectClean4xx(res, `${what} start`);
          return void count(`start ${res.statusCode}`);
        }
        const job: Job = await waitForJob(t, lead, ws, jobId);
        count(`job ${job.status}`);
        expect(['completed', 'failed'], `${what}: ${job.error}`).toContain(job.status);
        if (job.status === 'failed') expect(job.error, what).toMatch(/\S/);
        else {
          const c = job.counts;
          expect(c.created + c.updated + c.skipped + c.rejected, `${what}: ${JSON.stringify(c)}`).toBe(c.read);
        }
      }),
      { seed: SEED, numRuns: runs(40) },
    );
    console.info(`CSV fuzz outcomes: ${JSON.stringify(outcomes)}`);
  }, 120_000);
});

// ---- 5. explicit edge cases -----------------------------------------------------------------

describe('edge cases', () => {
  const contact = () => `/api/workspaces/${ws}/contacts/${contactId}`;
  const patch = (...ops: unknown[]) => send('PATCH', contact(), { ops });
  const inbound = (body: unknown) => send('POST', '/api/inbound/messages', body, { authorization: `Bearer ${apiKey}` });
  const segment = (body: unknown) => send('POST', `/api/workspaces/${ws}/segments`, body);
  const row = async (sql: string, ...args: SqlValue[]) => (await t.db.sql.get(sql, args))!;

  /** A rejection that names `path` (exactly, or under it) and writes nothing. */
  async function refused(request: () => Promise<LightMyRequestResponse>, status: number, path: string | null, what: string) {
    const before = await digest();
    const res = await request();
    const issues = expectClean4xx(res, what);
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(status);
    if (path !== null) expectUnder(issues[0]!, path, what);
    expect(await digest(), `${what}: wrote to the database`).toEqual(before);
    ran['edge cases'] = (ran['edge cases'] ?? 0) + 1;
    return res;
  }

  it('bodies over the 1 MB limit: 413 payload_too_large naming the body', async () => {
    const huge = 'x'.repeat(1024 * 1024 + 10);
    for (const [what, request] of [
      ['segment', () => segment({ name: huge, filter: { field: 'name', op: 'isSet' } })],
      ['PATCH', () => patch({ op: 'setProfile', field: 'firstName', value: huge })],
      ['inbound', () => inbound({ ...validInboundBody(), message: { externalId: 'big', text: huge } })],
    ] as const) {
      const res = await refused(request, 413, null, `${what} over the limit`);
      expect(res.json(), what).toMatchObject({ code: 'payload_too_large', details: [{ path: '(body)' }] });
    }
  });

  it('JSON nested 10,000 and 100,000 deep: a clean 400, and the server still answers', async () => {
    // Written as text: JSON.stringify itself would overflow the stack on these.
    const nest = (n: number, open: string, leaf: string, close: string) => open.repeat(n) + leaf + close.repeat(n);
    const raw = (method: 'POST' | 'PATCH', url: string, payload: string, headers: Record<string, string> = { cookie: lead }) =>
      t.app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload });
    const notTree = nest(10_000, '{"not":', '{"field":"name","op":"isSet"}', '}');
    await refused(() => raw('POST', `/api/workspaces/${ws}/segments`, `{"name":"Deep","filter":${notTree}}`), 400, 'filter.not.not.not.not.not.not', 'deep filter');
    await refused(() => raw('PATCH', contact(), `{"ops":[{"op":"setField","key":"nickname","value":${nest(10_000, '[', '1', ']')}}]}`), 400, 'ops[0].value', 'deep value');
    await refused(() => raw('PATCH', contact(), `{"ops":[{"op":"setField","key":"nickname","value":"x","expected":${nest(100_000, '{"a":', '{}', '}')}}]}`), 400, 'ops[0].expected', 'deep expected');
    await refused(() => raw('PATCH', contact(), nest(100_000, '[', '{"ops":[]}', ']')), 400, '(root)', 'deep body');
    const inboundText = JSON.stringify({ ...validInboundBody(), profile: { firstName: '@' } }).replace('"@"', nest(10_000, '[', '"x"', ']'));
    await refused(() => raw('POST', '/api/inbound/messages', inboundText, { authorization: `Bearer ${apiKey}` }), 400, 'profile.firstName', 'deep inbound');
    // The query string caps a filter at 20,000 characters; arrays nest under it.
    await refused(() => listWith(nest(9_999, '[', '', ']')), 400, '(root)', 'deep query filter');
    await refused(() => listWith(notTree), 400, 'filter', 'long query filter');
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('1 MB and 10,000-character strings where the contract allows less: 400 naming the field', async () => {
    const mb = 'é'.repeat(500_000); // 1 MB of UTF-8, under the body limit
    const tenK = 'x'.repeat(10_000);
    await refused(() => patch({ op: 'setProfile', field: 'firstName', value: mb }), 400, 'ops[0].value', '1 MB first name');
    await refused(() => patch({ op: 'setProfile', field: 'lastName', value: tenK }), 400, 'ops[0].value', '10k last name');
    await refused(() => patch({ op: 'addTag', tag: tenK }), 400, 'ops[0].tag', '10k tag');
    await refused(() => segment({ name: tenK, filter: { field: 'name', op: 'isSet' } }), 400, 'name', '10k segment name');
    await refused(() => segment({ name: 'Long value', filter: { field: 'name', op: 'contains', value: tenK } }), 400, 'filter.value', '10k filter value');
    await refused(() => inbound({ ...validInboundBody(), message: { externalId: 'mb', text: mb } }), 400, 'message.text', '1 MB message');
    await refused(() => inbound({ ...validInboundBody(), profile: { firstName: tenK } }), 400, 'profile.firstName', '10k inbound name');
    await refused(() => send('POST', `${contact()}/notes`, { body: 'n'.repeat(10_001) }), 400, 'body', '10k+1 note');
    await refused(() => patch({ op: 'setField', key: 'nickname', value: 'x'.repeat(10_001) }), 400, 'ops[0].value', '10k+1 text field');
    // Exactly at a limit is fine, and stored exactly.
    const ok = await patch({ op: 'setField', key: 'nickname', value: tenK });
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(200);
    expect(ok.json().fields.nickname).toBe(tenK);
  });

  it('NUL and unpaired surrogates, as values or keys: 400 naming where they are', async () => {
    for (const bad of ['Ada\u0000', '\u0000', '\uD800', 'x\uDFFFy', 'a\uDBFF']) {
      const what = JSON.stringify(bad);
      await refused(() => patch({ op: 'setProfile', field: 'firstName', value: bad }), 400, 'ops[0].value', `${what} first name`);
      await refused(() => patch({ op: 'addTag', tag: bad }), 400, 'ops[0].tag', `${what} tag`);
      await refused(() => patch({ op: 'setField', key: 'nickname', value: 'ok' }, { op: 'setField', key: 'nickname', value: 'x', expected: bad }), 400, 'ops[1].expected', `${what} expected`);
      await refused(() => inbound({ ...validInboundBody(), message: { externalId: `nul-${bad.length}`, text: bad } }), 400, 'message.text', `${what} message`);
      await refused(() => inbound({ ...validInboundBody(), channelUserId: bad }), 400, 'channelUserId', `${what} channel user`);
      await refused(() => segment({ name: bad, filter: { field: 'name', op: 'isSet' } }), 400, 'name', `${what} segment name`);
      await refused(() => segment({ name: 'Bad value', filter: { or: [{ field: 'tags', op: 'hasAnyOf', value: ['ok', bad] }] } }), 400, 'filter.or[0].value[1]', `${what} filter value`);
      await refused(() => send('POST', `${contact()}/notes`, { body: bad }), 400, 'body', `${what} note`);
      // A URL cannot carry a lone surrogate (percent-encoding is UTF-8); NUL it can.
      if (bad.includes('\u0000')) await refused(() => send('GET', `/api/workspaces/${ws}/contacts?q=${encodeURIComponent(bad)}`), 400, 'q', `${what} search`);
    }
    // As an object key: the path names the key.
    await refused(() => patch({ op: 'setField', key: 'nickname', value: { ['k\u0000']: 1 } }), 400, 'ops[0].value.k\u0000', 'NUL key');
    // A paired surrogate is an ordinary character (U+10FFFF, 😀).
    const pair = await patch({ op: 'setProfile', field: 'firstName', value: '\uDBFF\uDFFF😀' });
    expect(pair.statusCode, pair.body).toBe(200);
    expect((await row('SELECT firstName FROM Contact WHERE id = ?', contactId)).firstName).toBe('\uDBFF\uDFFF😀');
  });

  it('bidi overrides, emoji sequences and combining marks are accepted and stored exactly', async () => {
    const first = '\u202Eevil\u202C Ada';
    const last = '👩‍👩‍👧‍👦 Lovelace e\u0301';
    const tagName = '😀 vip \u200F\u05E9\u05DC\u05D5\u05DD';
    const res = await patch(
      { op: 'setProfile', field: 'firstName', value: first },
      { op: 'setProfile', field: 'lastName', value: last },
      { op: 'addTag', tag: tagName },
      { op: 'setField', key: 'nickname', value: 'zero\u200B\uFEFFwidth' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ firstName: first, lastName: last, name: `${first} ${last}`, fields: { nickname: 'zero\u200B\uFEFFwidth' } });
    expect(res.json().tags).toContain(tagName);
    expect(await row('SELECT firstName, lastName FROM Contact WHERE id = ?', contactId)).toEqual({ firstName: first, lastName: last });
    const text = '\u202Eredro ym si erehw\u202C 👋🏽 ﷽';
    const msg = await inbound({ ...validInboundBody(), profile: { firstName: first }, message: { externalId: 'bidi', text } });
    expect(msg.statusCode, msg.body).toBe(202);
    expect((await row('SELECT body FROM Message WHERE id = ?', Number(msg.json().messageId))).body).toBe(text);
    expect((await row('SELECT firstName FROM Contact WHERE id = ?', Number(msg.json().contactId))).firstName).toBe(first);
    ran['edge cases'] = (ran['edge cases'] ?? 0) + 2;
  });

  it('bodies that are not JSON objects: a clean 4xx naming the body', async () => {
    const raw = (payload: string, type = 'application/json') =>
      t.app.inject({ method: 'PATCH', url: contact(), headers: { cookie: lead, 'content-type': type }, payload });
    await refused(() => raw('{"ops": ['), 400, '(body)', 'truncated JSON');
    await refused(() => raw('{"ops": [{"op": "addTag", "tag": "x"}], "__proto__": {"admin": true}}'), 400, '(body)', '__proto__ key');
    await refused(() => raw('{"constructor": {"prototype": {"admin": true}}, "ops": []}'), 400, '(body)', 'constructor.prototype key');
    await refused(() => raw('ops=1', 'text/plain'), 400, '(root)', 'text body');
    await refused(() => raw('ops=1', 'application/x-www-form-urlencoded'), 400, '(body)', 'form body');
    await refused(() => raw('null'), 400, '(root)', 'null body');
    await refused(() => raw('"ops"'), 400, '(root)', 'string body');
    await refused(() => raw('[]'), 400, '(root)', 'array body');
  });

  it('CSV columns named like Object.prototype members upload, map and import like any other', async () => {
    const up = await uploadCsv(t, lead, ws, 'constructor,toString,Phone\nAda,hello,+33612345699\n');
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json().suggestedMapping).toEqual({ constructor: 'ignore', toString: 'ignore', Phone: 'phone' });
    const dry = await send('POST', `/api/workspaces/${ws}/imports/${up.json().jobId}/start`, {
      mapping: { Phone: 'phone', constructor: 'firstName' },
      channel: 'sms',
      defaultCountry: 'FR',
      onExisting: 'update',
      dryRun: true,
      createFields: [{ column: 'toString', key: 'greeting', label: 'Greeting', type: 'text' }],
    });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().rows).toEqual([expect.objectContaining({ action: 'create', values: expect.objectContaining({ firstName: 'Ada', 'custom.greeting': 'hello' }) })]);
    ran['edge cases'] = (ran['edge cases'] ?? 0) + 1;
  });
});

let inboundNo = 0;
function validInboundBody() {
  inboundNo++;
  return { channel: 'telegram', channelUserId: `edge-${inboundNo}`, message: { externalId: `edge-${inboundNo}`, text: 'hi' } };
}
